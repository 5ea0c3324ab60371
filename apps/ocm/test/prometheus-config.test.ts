import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  DEFAULT_SERVICES,
  parseServiceRef,
  prometheusConfigShape,
  prometheusSettings,
} from '../src/prometheus/config.js';

const schema = z.object(prometheusConfigShape);

describe('--prometheus-service', () => {
  it('reads NS/NAME:PORT and NS/https:NAME:PORT, ports by number or name', () => {
    expect(parseServiceRef('monitoring/prometheus:9090')).toEqual({
      namespace: 'monitoring',
      name: 'prometheus',
      port: '9090',
      https: false,
    });
    expect(parseServiceRef('openshift-monitoring/https:thanos-querier:web')).toEqual({
      namespace: 'openshift-monitoring',
      name: 'thanos-querier',
      port: 'web',
      https: true,
    });
  });

  it('refuses anything that could leave the proxy path', () => {
    for (const bad of [
      'monitoring/prometheus',
      'prometheus:9090',
      'a/b:0',
      'a/b:70000',
      'a/../b:80',
      'a/b:80/x',
      'A/b:80',
      'a/http:b:80',
    ]) {
      expect(parseServiceRef(bad), bad).toBeUndefined();
    }
    expect(schema.safeParse({ prometheusService: ['monitoring/prometheus'] }).success).toBe(false);
  });

  it('defaults to the usual Services, every one of them valid', () => {
    for (const s of DEFAULT_SERVICES) expect(parseServiceRef(s), s).toBeDefined();
    expect(prometheusSettings(schema.parse({})).services.map((s) => s.name)).toContain('prometheus');
  });
});

describe('--prometheus-url', () => {
  it('must be https and name {cluster}', () => {
    expect(schema.safeParse({ prometheusUrl: 'https://thanos.apps.{cluster}.example.com' }).success).toBe(
      true,
    );
    const problems = [
      'https://thanos.example.com',
      'http://{cluster}.example.com',
      'https://u:p@{cluster}.x',
      'https://{cluster}.x/?a=b',
    ].map((url) => schema.safeParse({ prometheusUrl: url }).error?.issues[0]?.message);
    expect(problems[0]).toContain('must contain {cluster}');
    expect(problems[1]).toContain('https');
    expect(problems[2]).toContain('credentials');
    expect(problems[3]).toContain('query');
  });
});

describe('prometheusSettings', () => {
  it('takes the request timeout and TTL in seconds, and reads the extra CA once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocm-prom-'));
    const file = join(dir, 'ca.pem');
    writeFileSync(file, 'junk\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\ntrailer\n');
    const settings = prometheusSettings({
      ...schema.parse({ prometheusCa: file, prometheusCacheTtl: 60 }),
      requestTimeout: 12,
    });
    expect(settings.extraCaPem).toBe('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    expect(settings.timeoutMs).toBe(12_000);
    expect(settings.cacheTtlMs).toBe(60_000);
  });

  it('a CA file that is missing or holds no certificate is a ConfigError naming the flag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocm-prom-'));
    writeFileSync(join(dir, 'empty.pem'), 'nothing here\n');
    for (const file of [join(dir, 'missing.pem'), join(dir, 'empty.pem')]) {
      expect(() => prometheusSettings(schema.parse({ prometheusCa: file }))).toThrow(ConfigError);
      expect(() => prometheusSettings(schema.parse({ prometheusCa: file }))).toThrow(/--prometheus-ca/);
    }
  });
});

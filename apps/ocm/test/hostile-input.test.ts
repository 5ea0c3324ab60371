import { renderTable } from '@cloudmcp/format';
import { describe, expect, it } from 'vitest';
import { clientUrl, tokenSecretData } from '../src/connect/steps.js';
import { parseTime, rangeWindow } from '../src/prometheus/time.js';

// What a managed cluster's agents write on the hub, as a cluster an attacker controls would write it: its
// ManagedCluster's client URL (the registration agent may update it) and its token Secret (the add-on agent
// writes it). Refused at step 1, before anything is applied or any token read, or made unusable.

const CA_PEM = `-----BEGIN CERTIFICATE-----\n${Buffer.from('ca').toString('base64')}\n-----END CERTIFICATE-----\n`;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const managed = (url: unknown) => ({ spec: { managedClusterClientConfigs: [{ url }] } });

describe("a managed cluster's client URL", () => {
  it.each([
    ['https://169.254.169.254', 'cloud metadata'],
    ['https://[fd00:ec2::254]:443', 'cloud metadata'],
    ['https://[::ffff:169.254.169.254]', 'cloud metadata'],
    ['https://169.254.10.1:6443', 'link-local'],
    ['https://[fe80::1]:6443', 'link-local'],
    ['https://0.0.0.0:6443', 'unspecified'],
  ])('%s is refused at step 1: a %s address is no API server', (url, kind) => {
    expect(() => clientUrl('c1', managed(url))).toThrow(
      `connect_cluster c1: step 1/6 (cluster) failed: its client config URL points at a local address (${kind}`,
    );
  });

  it.each([
    'https://a.example.com\n',
    ' https://a.example.com',
    'https://a.example.com\t/x',
    'https://a.example.com/?watch=1',
    'https://a.example.com#frag',
    'https://a.example.com\\@evil.example.com',
  ])('%j, which a URL parser would quietly repair, is refused at step 1', (url) => {
    expect(() => clientUrl('c1', managed(url))).toThrow(
      /^connect_cluster c1: step 1\/6 \(cluster\) failed: its client config URL is not a plain https:\/\/ URL/,
    );
  });

  it.each(['https://127.0.0.1:6443', 'https://10.0.0.7:6443', 'https://api.c1.example.com/k8s/clusters/c-1'])(
    '%s is taken (loopback stays: kind and ocm-sim clusters live there, and TLS is checked with the cluster CA)',
    (url) => {
      expect(clientUrl('c1', managed(url))).toBe(url);
    },
  );
});

describe('the token Secret', () => {
  it('is not usable with a token far longer than any service-account token', () => {
    const secret = { data: { token: b64(`eyJ${'a'.repeat(64 * 1024)}`), 'ca.crt': b64(CA_PEM) } };
    expect(tokenSecretData(secret)).toBeUndefined();
  });

  it('is usable with a token of a realistic size', () => {
    const token = `eyJ${'a'.repeat(2000)}.${'b'.repeat(1000)}.${'c'.repeat(400)}`;
    expect(tokenSecretData({ data: { token: b64(token), 'ca.crt': b64(CA_PEM) } })?.token).toBe(token);
  });
});

describe("a model's Prometheus times and steps at the extremes", () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each(['99999999999999999999', '-9999999999999h', 'now-100000y', '-99999999999'])(
    'the time %j is out of range: bad input naming the field, never an internal error',
    (value) => {
      expect(() => parseTime(value, 'end', now)).toThrow(/^Invalid input `end`: .* is out of range/);
    },
  );

  it('takes the range of RFC 3339 years', () => {
    expect(parseTime('0', 'start', now)).toBe(0);
    expect(parseTime('9999-12-31T23:59:59Z', 'end', now)).toBe(253_402_300_799);
  });

  it.each(['0.0001', '0.0004'])('the step %j, which would be sent as 0, is bad input', (step) => {
    expect(() => rangeWindow({ start: '0', end: '1', step }, now)).toThrow(/^Invalid input `step`/);
  });
});

describe('text a managed cluster writes, in a table', () => {
  // A claim value, a Prometheus label or a condition message from a hostile cluster reaches the result text
  // with its terminal escapes (ESC, BEL: retitle a terminal, write its clipboard) and bidi overrides intact.
  // Every server renders through @cloudmcp/format's cells, so they are neutralised there, not in one tool's rows.
  it('carries no terminal escape, BEL or bidi override into the text', () => {
    const text = renderTable(
      [{ claim: 'a\u001b]52;c;cGF5bG9hZA==\u0007b\u001b[31mred\u202eevil' }],
      [{ header: 'claim', value: (r: { claim: string }) => r.claim }],
    );
    // control (Cc) and format (Cf) characters, line breaks between rows aside
    expect(text.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });
});

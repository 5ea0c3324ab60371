import type { Caller } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import {
  currentImpersonation,
  impersonatingTools,
  impersonationOf,
  impersonationPrefixProblem,
  MAX_IMPERSONATED_GROUPS,
} from '../src/impersonation.js';
import { parseUntrustedKubeconfig, UntrustedKubeconfigError } from '../src/kubeconfig/index.js';

const settings = { userPrefix: 'oidc:', groupPrefix: 'oidc:' };
const caller = (extra: Partial<Caller>): Caller => ({ method: 'oauth', id: 'x', scopes: [], ...extra });

describe('impersonationOf', () => {
  it('prefixes the subject and each group, once each', () => {
    expect(
      impersonationOf(caller({ subject: 'alice', groups: ['dev', 'dev', 'cn=a,ou=b'] }), settings),
    ).toEqual({
      user: 'oidc:alice',
      groups: ['oidc:dev', 'oidc:cn=a,ou=b'],
    });
  });

  it('refuses a caller without a subject: stdio, the static token, a token without sub', () => {
    expect(() => impersonationOf(undefined, settings)).toThrow(/names no user/);
    expect(() => impersonationOf(caller({ method: 'bearer-token' }), settings)).toThrow(/names no user/);
    expect(() => impersonationOf(caller({ subject: '' }), settings)).toThrow(/names no user/);
  });

  it('refuses hostile claims without echoing them: line breaks, control characters, huge values, many groups', () => {
    const refusals = [
      caller({ subject: 'alice\r\nImpersonate-Group: system:masters' }),
      caller({ subject: 'alice\u0000' }),
      caller({ subject: 'älice' }),
      caller({ subject: ' alice' }),
      caller({ subject: 'alice', groups: ['dev\nx'] }),
      caller({ subject: 'alice', groups: ['g'.repeat(10_000)] }),
      caller({ subject: 'a'.repeat(10_000) }),
      caller({ subject: 'alice', groups: Array.from({ length: 1000 }, (_, i) => `g${i}`) }),
    ];
    for (const hostile of refusals) {
      let message = '';
      try {
        impersonationOf(hostile, settings);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, JSON.stringify(hostile).slice(0, 80)).toMatch(/acts as its caller.*nothing was sent/i);
      expect(message.length).toBeLessThan(300);
      expect(message).not.toMatch(/[\r\n]/);
      expect(message.includes('\u0000')).toBe(false);
    }
    expect(
      impersonationOf(
        caller({
          subject: 'alice',
          groups: Array.from({ length: MAX_IMPERSONATED_GROUPS }, (_, i) => `g${i}`),
        }),
        settings,
      ).groups,
    ).toHaveLength(MAX_IMPERSONATED_GROUPS);
  });

  it("refuses names in Kubernetes' own system: space (possible only with an empty prefix)", () => {
    const bare = { userPrefix: '', groupPrefix: '' };
    expect(() => impersonationOf(caller({ subject: 'system:admin' }), bare)).toThrow(/reserves/);
    expect(() => impersonationOf(caller({ subject: 'a', groups: ['system:masters'] }), bare)).toThrow(
      /reserves/,
    );
    expect(impersonationOf(caller({ subject: 'a', groups: ['system:masters'] }), settings).groups).toEqual([
      'oidc:system:masters',
    ]);
  });

  it('checks operator prefixes', () => {
    expect(impersonationPrefixProblem('')).toBeUndefined();
    expect(impersonationPrefixProblem('oidc:')).toBeUndefined();
    expect(impersonationPrefixProblem('system:oidc:')).toMatch(/reserves/);
    expect(impersonationPrefixProblem('a\nb')).toMatch(/printable/);
    expect(impersonationPrefixProblem('x'.repeat(65))).toMatch(/longer/);
  });
});

describe('impersonatingTools', () => {
  it("refuses a call without a subject before the handler runs, and keeps the tool's definition", async () => {
    let ran = false;
    const tool = {
      name: 't',
      handler: async () => {
        ran = true;
        return {};
      },
    } as never;
    const [wrapped] = impersonatingTools([tool], settings);
    expect(wrapped!.name).toBe('t');
    await expect(wrapped!.handler({}, { caller: caller({}) } as never)).rejects.toThrow(/names no user/);
    expect(ran).toBe(false);
  });

  it("reads the settings from the call's deps when given a function: none runs the handler as it is", async () => {
    const tool = { name: 't', handler: async () => currentImpersonation() ?? 'as the server' } as never;
    const [wrapped] = impersonatingTools<{ acting?: typeof settings }>([tool], (deps) => deps.acting);
    const alice = caller({ subject: 'alice', groups: ['dev', 'ops'] });
    expect(await wrapped!.handler({}, { deps: {}, caller: alice } as never)).toBe('as the server');
    expect(await wrapped!.handler({}, { deps: { acting: settings }, caller: alice } as never)).toEqual({
      user: 'oidc:alice',
      groups: ['oidc:dev', 'oidc:ops'],
    });
  });
});

describe('a model cannot bring its own impersonation', () => {
  it('an untrusted kubeconfig (X-Kubeconfig, the kubeconfig argument) with as/as-groups is refused', () => {
    for (const field of ['as: oidc:admin', 'as-groups: [system:masters]', 'as-uid: "0"']) {
      const text = [
        'apiVersion: v1',
        'kind: Config',
        'current-context: c',
        'clusters: [{name: c, cluster: {server: "https://k.example:6443"}}]',
        `users: [{name: u, user: {token: abcdefgh, ${field}}}]`,
        'contexts: [{name: c, context: {cluster: c, user: u}}]',
      ].join('\n');
      expect(() => parseUntrustedKubeconfig(text), field).toThrow(UntrustedKubeconfigError);
    }
  });
});

import type { Caller } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import { impersonationHeaders, impersonationOf } from '../src/impersonation.js';

// Hostile JWT claims against --impersonate-caller, beyond impersonation-identity.test.ts: names that look
// like Kubernetes' own, mixed prefixes, and what goes on the wire for the ones that are allowed.

const caller = (extra: Partial<Caller>): Caller => ({ method: 'oauth', id: 'x', scopes: [], ...extra });

describe('hostile claims', () => {
  it('refuses look-alikes of system: names (Cyrillic, full-width, zero-width, tabs) as non-ASCII or control', () => {
    for (const name of ['ѕystem:masters', 'ｓystem:masters', 'sys\u200btem:masters', 'system:\tmasters']) {
      expect(() =>
        impersonationOf(caller({ subject: 'a', groups: [name] }), { userPrefix: '', groupPrefix: '' }),
      ).toThrow(/non-ASCII|control/);
    }
  });

  it('keeps each prefix to its own claim: an empty group prefix still refuses system:, whatever the user prefix', () => {
    const mixed = { userPrefix: 'oidc:', groupPrefix: '' };
    expect(() => impersonationOf(caller({ subject: 'a', groups: ['system:masters'] }), mixed)).toThrow(
      /reserves/,
    );
    expect(() => impersonationOf(caller({ subject: 'a', groups: ['system:authenticated'] }), mixed)).toThrow(
      /reserves/,
    );
    // case matters to Kubernetes: System:masters is not system:masters, and is sent as it is
    expect(impersonationOf(caller({ subject: 'a', groups: ['System:masters'] }), mixed).groups).toEqual([
      'System:masters',
    ]);
  });

  it('sends a group with commas as one line, and duplicates once', () => {
    const who = impersonationOf(caller({ subject: 'a,b', groups: ['cn=x,ou=y', 'dev', 'dev'] }), {
      userPrefix: 'oidc:',
      groupPrefix: 'oidc:',
    });
    expect(impersonationHeaders(who)).toEqual({
      'impersonate-user': 'oidc:a,b',
      'impersonate-group': ['oidc:cn=x,ou=y', 'oidc:dev'],
    });
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Arena, KUBECTL_MISSING, type StdioSession, secretValues } from './harness.js';

// Class 4: kubectl's verbose logs print response bodies (-v=8 and up), so `get secret -v=9` would show the
// Secret's values beside the redacted output. Refused in every spelling; the values never come back.

let arena: Arena;
const modes: Record<string, StdioSession> = {};
beforeAll(async () => {
  arena = await Arena.open();
  arena.forbidden.push(...secretValues(arena.sim));
  modes['default'] = await arena.stdio();
  modes['--read-only'] = await arena.stdio(['--read-only']);
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

const verbose = [
  '-v=6',
  '-v=7',
  '-v=8',
  '-v=9',
  '-v9',
  '-v 8',
  '--v 8',
  '--v=06',
  '--v=10',
  '--vmodule=*=9',
  "--vmodule='*=8'",
  '-v=9 -o yaml',
];

describe.skipIf(!!KUBECTL_MISSING)(
  `verbose logs${KUBECTL_MISSING ? ` (skipped: ${KUBECTL_MISSING})` : ''}`,
  () => {
    for (const mode of ['default', '--read-only']) {
      it.each(verbose)(
        `${mode}: get secret db-credentials %s is refused; no Secret value anywhere`,
        async (flag) => {
          const result = await modes[mode]!.call('kubectl', {
            command: `get secret db-credentials -n team-a ${flag}`,
          });
          expect(result.isError).toBe(true);
          expect(result.text).toMatch(/-v|vmodule|verbos/);
          for (const value of secretValues(arena.sim)) expect(result.text).not.toContain(value);
        },
      );
    }

    it.each([
      'get secrets -A -v=8',
      'get --raw /api/v1/namespaces/team-a/secrets -v=8',
      'get secret -n team-a -o json -v=7',
    ])('default: %s is refused; no Secret value anywhere', async (command) => {
      const result = await modes['default']!.call('kubectl', { command });
      expect(result.isError).toBe(true);
      for (const value of secretValues(arena.sim)) expect(result.text).not.toContain(value);
    });

    it('get --raw of a Secret (no -v) never shows its values without --allow-secrets', async () => {
      const result = await modes['default']!.call('kubectl', {
        command: 'get --raw /api/v1/namespaces/team-a/secrets/db-credentials',
      });
      for (const value of secretValues(arena.sim)) expect(result.text).not.toContain(value);
      expect(JSON.stringify(result.structured ?? {})).not.toContain(secretValues(arena.sim)[0]!);
    });
  },
);

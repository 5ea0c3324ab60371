import type { Client } from '@modelcontextprotocol/client';

/** The two protocol eras: `legacy` (2025 revisions, `initialize`) and `modern` (2026-07-28, stateless). */
export type Era = 'legacy' | 'modern';

/** Both eras, for `describe.each(ERAS)`. */
export const ERAS = ['legacy', 'modern'] as const satisfies readonly Era[];

/** The revision a `modern` client pins: it connects on it or fails, never falls back. */
export const MODERN_REVISION = '2026-07-28';

/**
 * The era a test connects on when it names none: `MCP_TEST_ERA` (`legacy` or `modern`), else `legacy`,
 * so a whole suite can run on either era without editing a test.
 */
export function defaultEra(): Era {
  const chosen = process.env['MCP_TEST_ERA'];
  if (chosen === undefined || chosen === '') return 'legacy';
  if (chosen === 'legacy' || chosen === 'modern') return chosen;
  throw new Error(`MCP_TEST_ERA must be legacy or modern, not ${JSON.stringify(chosen)}`);
}

/** The era a connected client landed on; throws before `connect()` has resolved. */
export function eraOf(client: Client): Era {
  const era = client.getProtocolEra();
  if (era === undefined) throw new Error('the client is not connected: it has no protocol era yet');
  return era;
}

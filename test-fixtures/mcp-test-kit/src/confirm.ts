import type { Client } from '@modelcontextprotocol/client';
import { expect } from 'vitest';

/** The text of a tool result's first content block. */
function firstText(result: { content?: unknown }): string {
  const [block] = (result.content ?? []) as Array<{ type: string; text?: string }>;
  return block?.type === 'text' ? (block.text ?? '') : '';
}

export interface DeclineThenAccept {
  /** A client whose user declines confirmations, and one whose user accepts (connected in the same era). */
  declining: Client;
  accepting: () => Promise<Client>;
  /** The destructive call. */
  tool: string;
  arguments: Record<string, unknown>;
  /** How many times the upstream has seen the change so far (counted at the simulator). */
  changes: () => number;
}

/**
 * The confirmation rule every server's smoke test proves: the same destructive call is refused when the user
 * says no (the error says so, and nothing reaches the upstream), and goes ahead exactly once on a yes.
 */
export async function expectDeclineThenAccept(c: DeclineThenAccept): Promise<void> {
  const before = c.changes();
  const declined = await c.declining.callTool({ name: c.tool, arguments: c.arguments });
  expect(declined.isError).toBe(true);
  expect(firstText(declined)).toContain(`the user did not confirm ${c.tool}`);
  expect(c.changes()).toBe(before);

  const accepted = await (await c.accepting()).callTool({ name: c.tool, arguments: c.arguments });
  expect(accepted.isError, firstText(accepted)).toBeFalsy();
  expect(c.changes()).toBe(before + 1);
}

import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ToolError } from './errors.js';
import type { Policy } from './policy.js';
import type { AnyTool } from './tool.js';

/** Added to confirming tools' input so clients that cannot show a prompt still have a way to confirm. */
export const confirmField = z
  .boolean()
  .optional()
  .describe('Set true only after the user agreed, and only if your client cannot show a confirmation prompt');

/**
 * Whether a tool may ask the user under this policy: destructive tools before every call, tools defined
 * with `asksToConfirm` when their handler finds a destructive step. Such tools get the `confirm` argument.
 */
export function needsConfirmation(tool: AnyTool, policy: Policy): boolean {
  if (policy.confirm !== 'destructive' || policy.readOnly || policy.disableDestructive) return false;
  return tool.annotations.destructiveHint === true || tool.asksToConfirm === true;
}

export interface Elicitor {
  /** Whether the client declared the elicitation capability. */
  supported: boolean;
  /** Sends `elicitation/create` on the call's own stream (so it also works over stateless HTTP). */
  ask(params: ElicitRequestFormParams): Promise<ElicitResult>;
}

/**
 * Asks the user before a destructive call. Through MCP elicitation when the client supports it (the
 * `confirm` argument is then ignored, so a model cannot confirm on the user's behalf); otherwise the call
 * goes ahead only with `confirm: true`. Throws a ToolError that says nothing was changed when refused.
 * `what` is one line naming the change: "Destroy VM web-1".
 */
export async function confirmDestructive(
  elicitor: Elicitor,
  toolName: string,
  what: string,
  confirmArg: boolean | undefined,
): Promise<void> {
  if (elicitor.supported) {
    let accepted = false;
    try {
      const answer = await elicitor.ask({
        mode: 'form',
        message: `${what}. This cannot be undone. Proceed?`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Proceed', description: what } },
          required: ['confirm'],
        },
      });
      accepted = answer.action === 'accept' && answer.content?.['confirm'] === true;
    } catch {
      accepted = false;
    }
    if (!accepted) {
      throw new ToolError(`Not done: the user did not confirm ${toolName}. Nothing was changed.`, {
        next: 'Ask the user what they want instead; do not retry without their agreement.',
      });
    }
    return;
  }
  if (confirmArg !== true) {
    throw new ToolError(`Confirmation needed: ${what}. Nothing was changed.`, {
      next: `Ask the user; if they agree, call ${toolName} again with the same arguments and \`confirm: true\`.`,
    });
  }
}

/**
 * The handler's `ctx.confirmDestructive(what)`: the server's destructive policy applied to one step the
 * handler found (a deleting command given to a generic tool). Refused under `--read-only` and
 * `--disable-destructive`, asked under `--confirm destructive`, let through under `--confirm never`.
 */
export function destructiveStepGuard(
  tool: AnyTool,
  policy: Policy,
  elicitor: Elicitor,
  confirmArg: boolean | undefined,
): (what: string) => Promise<void> {
  return async (what) => {
    if (!tool.asksToConfirm) {
      throw new Error(
        `tool ${tool.name} calls ctx.confirmDestructive() but is not defined with asksToConfirm`,
      );
    }
    const flag = policy.readOnly ? '--read-only' : policy.disableDestructive ? '--disable-destructive' : '';
    if (flag) {
      throw new ToolError(`Refused: ${what}. This server runs with ${flag}; nothing was changed.`, {
        next: `Ask the user to do it themselves, or to run the server without ${flag}.`,
      });
    }
    if (policy.confirm === 'never') return;
    await confirmDestructive(elicitor, tool.name, what, confirmArg);
  };
}

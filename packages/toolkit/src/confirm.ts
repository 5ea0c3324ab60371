import type { ElicitRequestFormParams, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ToolError } from './errors.js';
import type { Policy } from './policy.js';
import type { AnyTool } from './tool.js';

/** Added to destructive tools' input so clients that cannot show a prompt still have a way to confirm. */
export const confirmField = z
  .boolean()
  .optional()
  .describe(
    'Only when your client cannot show a confirmation prompt: set true after the user has agreed to this ' +
      'destructive action. Leave unset otherwise.',
  );

export function needsConfirmation(tool: AnyTool, policy: Policy): boolean {
  return policy.confirm === 'destructive' && tool.annotations.destructiveHint;
}

/**
 * Asks the user before a destructive call. Through MCP elicitation when the client supports it (the
 * `confirm` argument is then ignored, so a model cannot confirm on the user's behalf); otherwise the call
 * goes ahead only with `confirm: true`. Throws a ToolError that says nothing was changed when refused.
 */
export interface Elicitor {
  /** Whether the client declared the elicitation capability. */
  supported: boolean;
  /** Sends `elicitation/create` on the call's own stream (so it also works over stateless HTTP). */
  ask(params: ElicitRequestFormParams): Promise<ElicitResult>;
}

export async function confirmDestructive(
  elicitor: Elicitor,
  tool: AnyTool,
  input: Record<string, unknown>,
  confirmArg: boolean | undefined,
): Promise<void> {
  const what = tool.confirmMessage?.(input) ?? `${tool.title} (${tool.name})`;
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
      throw new ToolError(`Not done: the user did not confirm ${tool.name}. Nothing was changed.`, {
        next: 'Ask the user what they want instead; do not retry without their agreement.',
      });
    }
    return;
  }
  if (confirmArg !== true) {
    throw new ToolError(`Confirmation needed: ${what}. Nothing was changed.`, {
      next: `Ask the user; if they agree, call ${tool.name} again with the same arguments and \`confirm: true\`.`,
    });
  }
}

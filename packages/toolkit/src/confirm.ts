import {
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { ToolError } from './errors.js';
import type { Policy } from './policy.js';
import type { ConfirmState, StateSeal } from './request-state.js';
import type { AnyTool } from './tool.js';

/**
 * Added to confirming tools' input only when the operator lets a model confirm for clients that cannot ask
 * their user (`--allow-model-confirm`); otherwise there is no way for a model to confirm on its own.
 */
export const confirmField = z
  .boolean()
  .optional()
  .describe('Set true only after the user agreed, and only if your client cannot show a confirmation prompt');

/**
 * Whether a tool may ask the user under this policy: destructive tools before every call, tools defined
 * with `asksToConfirm` when their handler finds a destructive step.
 */
export function needsConfirmation(tool: AnyTool, policy: Policy): boolean {
  if (policy.confirm !== 'destructive' || policy.readOnly || policy.disableDestructive) return false;
  return tool.annotations.destructiveHint === true || tool.asksToConfirm === true;
}

/** Thrown (by the gate or a handler's `ctx.confirmDestructive`) when the user must be asked first. */
export class ConfirmationNeeded extends Error {
  constructor(readonly what: string) {
    super(`confirmation needed: ${what}`);
  }
}

export interface ConfirmationGateOptions {
  tool: AnyTool;
  policy: Policy;
  seal: StateSeal;
  ctx: ServerContext;
  /** The client's capabilities for this request (per request on 2026-07-28, from `initialize` before). */
  capabilities: ClientCapabilities | undefined;
  /** Digest of the call's arguments (less `confirm`). */
  argsDigest: string;
  /** The model's `confirm` argument (only in the schema under `--allow-model-confirm`). */
  confirmArg: boolean | undefined;
}

const QUESTION = 'confirm';

/**
 * One rule for every transport and protocol era. A destructive step goes ahead only when the user agreed to
 * that very step of that very call: the server answers "input required" with a sealed state naming the
 * step; the client asks its user and retries with the answer and the state, which must verify (the SDK's
 * hook), belong to this tool and these arguments, and not have been used before. On 2025-era connections
 * that can carry it (stdio) the SDK's shim asks with `elicitation/create` and re-enters the same way.
 * Where no one can be asked (a client without elicitation, stateless 2025-era HTTP), the step is refused —
 * on 2026-07-28 as the missing-capability error (-32021) — unless the operator allows the model's
 * `confirm: true` there (`--allow-model-confirm`).
 */
export class ConfirmationGate {
  /** Steps the user agreed to in this call (from a verified state and an accepted answer). */
  private readonly confirmed: readonly string[];
  private readonly declined: boolean;
  private readonly state: ConfirmState | undefined;

  constructor(private readonly opts: ConfirmationGateOptions) {
    const state = opts.ctx.mcpReq.requestState<ConfirmState>();
    const answer = inputResponse(opts.ctx.mcpReq.inputResponses, QUESTION);
    // A state is ours only for this tool and these arguments; anything else is a fresh call. Answers
    // without a state of ours are ignored: a client cannot confirm what it was never asked.
    this.state = state?.tool === opts.tool.name && state.args === opts.argsDigest ? state : undefined;
    const accepted =
      answer.kind === 'elicit' && answer.action === 'accept' && answer.content?.[QUESTION] === true;
    this.declined = this.state !== undefined && answer.kind === 'elicit' && !accepted;
    this.confirmed = this.state && accepted ? [...this.state.confirmed, this.state.pending] : [];
  }

  /** Refuses a replayed state; call once before anything runs. */
  checkReplay(): void {
    if (this.state && !this.declined && !this.opts.seal.consume(this.state)) {
      throw new ToolError(
        `Not done: this confirmation of ${this.opts.tool.name} was already used. Nothing was changed.`,
        { next: 'Call the tool again; the user will be asked again.' },
      );
    }
  }

  /** Resolves when `what` may go ahead; throws ConfirmationNeeded to ask, ToolError to refuse. */
  require(what: string): void {
    if (this.confirmed.includes(what)) return;
    const { tool, policy } = this.opts;
    if (this.declined && this.state?.pending === what) {
      throw new ToolError(`Not done: the user did not confirm ${tool.name}. Nothing was changed.`, {
        next: 'Ask the user what they want instead; do not retry without their agreement.',
      });
    }
    if (this.canAsk()) throw new ConfirmationNeeded(what);
    if (policy.allowModelConfirm) {
      if (this.opts.confirmArg === true) return;
      throw new ToolError(`Confirmation needed: ${what}. Nothing was changed.`, {
        next: `Ask the user; if they agree, call ${tool.name} again with the same arguments and \`confirm: true\`.`,
      });
    }
    // 2026-07-28 has a name for this: the call needs a capability the client did not declare. Asking anyway
    // lets the SDK answer it so (-32021, HTTP 400, naming `elicitation`); 2025 has no such code.
    if (this.opts.ctx.mcpReq.envelope !== undefined) throw new ConfirmationNeeded(what);
    throw new ToolError(
      `Refused: ${what}. Your MCP client cannot ask you to confirm (it does not support elicitation on this connection), and this server does not take a model's word for it. Nothing was changed.`,
      {
        next: 'Use a client that supports elicitation (or stdio instead of HTTP with a 2025-era client), or ask the operator to start the server with --allow-model-confirm.',
      },
    );
  }

  /** The "input required" answer that asks the user about `what`. */
  async ask(what: string): Promise<InputRequiredResult | CallToolResult> {
    const { tool, seal, ctx, argsDigest } = this.opts;
    const requestState = await seal.mint(
      { tool: tool.name, args: argsDigest, confirmed: [...this.confirmed], pending: what },
      ctx,
    );
    return inputRequired({
      inputRequests: {
        [QUESTION]: inputRequired.elicit({
          message: `${what}. This cannot be undone. Proceed?`,
          requestedSchema: {
            type: 'object',
            properties: { [QUESTION]: { type: 'boolean', title: 'Proceed', description: what } },
            required: [QUESTION],
          },
        }),
      },
      requestState,
    });
  }

  private canAsk(): boolean {
    return this.opts.capabilities?.elicitation !== undefined;
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
  gate: ConfirmationGate | undefined,
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
    if (policy.confirm === 'never' || !gate) return;
    gate.require(what);
  };
}

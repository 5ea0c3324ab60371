import type { CallToolResult, ScopeChallengeHandler } from '@modelcontextprotocol/server';
import type { Caller } from './caller.js';
import { ToolError, toErrorResult } from './errors.js';
import type { Policy } from './policy.js';
import { metrics } from './request-context.js';

// What a caller's credential allows within the operator's policy. An OAuth token with the read scope and
// not the write one (Caller.missingWriteScope) makes its caller read-only: the server built for its request
// lists and runs only what `--read-only` would. The operator's other tools stay registered, unlisted, so
// that calling one is answered as the MCP authorization spec says (step-up authorization): a 403
// `insufficient_scope` whose `scope` names the write scope, sent by the SDK before anything runs, after
// which the client may ask its user for that scope and call again.

/** The caller's policy: the operator's, read-only for a caller whose token cannot write. */
export function callerPolicy(policy: Policy, caller: Caller | undefined): Policy {
  return caller?.missingWriteScope !== undefined && !policy.readOnly ? { ...policy, readOnly: true } : policy;
}

/** The SDK's per-tool scope challenge: the write scope, for a token that does not carry it. */
export function writeScopeChallenge(scope: string): ScopeChallengeHandler {
  return ({ authInfo }) =>
    authInfo === undefined || authInfo.scopes.includes(scope)
      ? undefined
      : {
          scopes: [scope],
          errorDescription: 'This tool changes state; the access token does not grant that',
        };
}

/**
 * A writing tool's answer to a read-only caller where no challenge could be sent (the legacy SSE transport
 * answers on its stream, long after the POST's 202): refused, nothing run.
 */
export function writeRefusal(toolName: string, scope: string): CallToolResult {
  metrics().toolCall(toolName, 'refused', 0);
  const error = new ToolError(
    `Refused: ${toolName} changes state, and your access token grants reading only. Nothing was changed.`,
    { next: `Sign in again asking for the scope \`${scope}\`, or use the reading tools.` },
  );
  return toErrorResult(error, toolName) as CallToolResult;
}

import { ToolError } from '@cloudmcp/toolkit';
import type { Environment } from './client/client.js';

/**
 * Over HTTP, a user picks their environment in their MCP client's configuration (not the model): this
 * header, on each request, for that request only.
 */
export const ENVIRONMENT_HEADER = 'X-Cloudeka-Environment';

const ALLOWED: readonly Environment[] = ['production', 'staging'];

/** What a request's header says: nothing (the operator's environment), an environment, or a wrong value. */
export type HeaderChoice = { environment: Environment } | { rejected: true } | undefined;

/**
 * Reads the header's value (`Headers.get`: null when absent, several joined with ", ") strictly: exactly
 * `production` or `staging`. Anything else — another word, another case, an empty value, the header twice —
 * is rejected, never guessed.
 */
export function parseEnvironmentHeader(value: string | null): HeaderChoice {
  if (value === null) return undefined;
  const found = ALLOWED.find((environment) => environment === value);
  return found ? { environment: found } : { rejected: true };
}

/** The error every tool call of a request with a rejected header answers (its value is not echoed). */
export function headerRejected(operatorMode: string): ToolError {
  return new ToolError(
    `The ${ENVIRONMENT_HEADER} header of this request is not one of: ${ALLOWED.join(', ')}.`,
    {
      next:
        `Set it to ${ALLOWED.join(' or ')} in the MCP client's configuration, or leave it out to use this ` +
        `server's environment (${operatorMode}); it cannot be changed from here.`,
    },
  );
}

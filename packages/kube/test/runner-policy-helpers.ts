/** Helpers for the runner policy tests: check a command line, expect a refusal of a given kind. */
import { expect } from 'vitest';
import {
  type CheckOptions,
  type CliRefusalKind,
  CliRefused,
  type CliTool,
  checkCommand,
  tokenize,
} from '../src/runner/index.js';

export function check(tool: CliTool, command: string, options: CheckOptions = {}) {
  return checkCommand(tool, tokenize(command, tool), options);
}

export function refusal(tool: CliTool, command: string, options: CheckOptions = {}): CliRefused {
  try {
    check(tool, command, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CliRefused);
    return error as CliRefused;
  }
  throw new Error(`expected \`${tool} ${command}\` to be refused`);
}

/** Refused with `kind`, a message in the runner's form, and a next step. */
export function expectRefused(
  tool: CliTool,
  command: string,
  kind: CliRefusalKind,
  options: CheckOptions = {},
): CliRefused {
  const error = refusal(tool, command, options);
  expect(error.kind, `${tool} ${command}: ${error.message}`).toBe(kind);
  expect(error.message).toMatch(/^Refused `/);
  expect(error.details.next, 'says what to do instead').toBeTruthy();
  return error;
}

/** The least strict mode: what is refused here is refused everywhere. */
export const TRUSTING: CheckOptions = { allowLocalFiles: true, allowSecrets: true };

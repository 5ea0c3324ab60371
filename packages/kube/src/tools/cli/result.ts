import { ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { CLI_TOOLS, type CliResult, type CliTool } from '../../runner/index.js';

export const cliOutput = z.object({
  tool: z.enum(CLI_TOOLS as [CliTool, ...CliTool[]]),
  command: z.string().describe('What ran, quoted'),
  verb: z.string().describe('The command found after global flags, e.g. `get` or `rollout status`'),
  access: z.enum(['read', 'write']).describe('`read` for reads and dry runs'),
  context: z.string().describe('The target (kubeconfig context or cluster) the command ran against'),
  kubeconfig_source: z
    .enum(['server', 'argument', 'header'])
    .describe("Whose kubeconfig was used: the server's, the `kubeconfig` argument, or the request's header"),
  exit_code: z.number().int().nullable(),
  stdout: z.string().describe('Standard output, redacted (Secret values, tokens, keys), capped'),
  stderr: z.string().describe('Standard error, redacted, capped'),
  truncated: z.boolean().describe('Whether output was cut at the size cap (the text says how much)'),
  duration_ms: z.number(),
  fetched: z
    .array(z.string())
    .optional()
    .describe('URLs the server fetched itself (within the allowed prefixes) and gave the command as `-f -`'),
  note: z.string().optional(),
});
export type CliOutput = z.output<typeof cliOutput>;

/** The text of a command's output: stdout, then stderr under a marker, then the note. */
export function renderCliOutput(out: CliOutput): string {
  const parts: string[] = [];
  if (out.stdout !== '') parts.push(out.stdout.replace(/\n$/, ''));
  if (out.stderr.trim() !== '') parts.push(`[stderr]\n${out.stderr.replace(/\n$/, '')}`);
  if (parts.length === 0) parts.push(`(no output; ${out.tool} exited with status ${out.exit_code})`);
  if (out.note) parts.push(`[${out.note}]`);
  return parts.join('\n');
}

/** Kubernetes API reasons kubectl prints as `Error from server (Reason)`, as HTTP codes. */
const REASON_CODES: Record<string, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
};

/** The line of the tool's own message the error repeats (the whole output follows it). */
const MAX_ERROR_TEXT = 1000;

function nextStep(tool: CliTool, verb: string, text: string, reason: string | undefined): string {
  if (reason === 'Forbidden' || /\bforbidden\b/i.test(text)) {
    return (
      'The kubeconfig credentials are not allowed to do this (403 Forbidden): check what they may do with ' +
      '`can_i` (or `kubectl auth can-i`), and ask for the role this needs.'
    );
  }
  if (reason === 'Unauthorized' || /\bUnauthorized\b/.test(text)) {
    return "The cluster refused the kubeconfig's credentials (401): they may have expired; renew them.";
  }
  if (reason === 'NotFound' || /\bnot found\b/i.test(text)) {
    return 'Check the name and namespace: list what exists (resource_list, pod_list, or `get` with -A).';
  }
  if (/Unable to connect|connection refused|no such host|i\/o timeout|x509/i.test(text)) {
    return "The cluster's API server could not be reached: check the target and its server (context_list).";
  }
  return `Read ${tool}'s output below; \`${tool} ${verb || ''} --help\` lists the command's flags.`;
}

/**
 * A command that failed or timed out, as an error result that still carries everything it printed: stdout,
 * stderr and the exit code together (the text in full, and the output as structured content).
 */
export function cliFailure(
  out: CliOutput,
  result: CliResult,
  shown: string,
  targetArg: 'context' | 'cluster',
): ToolError {
  const { tool } = out;
  const text = (result.stderr.trim() || result.stdout.trim()).slice(0, MAX_ERROR_TEXT);
  const where = ` on ${targetArg} ${out.context}`;
  const output = { structured: out, text: renderCliOutput(out) };
  if (result.timedOut) {
    return new ToolError(`\`${tool} ${shown}\`${where} was stopped: it ran past the server's CLI timeout.`, {
      next: 'Narrow the command; bound a watch or follow (-w, -f) with --timeout, --since or --tail.',
      output,
    });
  }
  const reason = /Error from server \(([A-Za-z]+)\)/.exec(text)?.[1];
  const code = reason ? REASON_CODES[reason] : undefined;
  const firstLine = text.split('\n').find((line) => line.trim() !== '');
  return new ToolError(
    `\`${tool} ${shown}\`${where} failed (exit status ${result.exitCode ?? result.signal}).`,
    {
      ...(code !== undefined ? { code } : {}),
      ...(firstLine ? { upstreamMessage: firstLine } : {}),
      next: nextStep(tool, result.verb, text, reason),
      output,
    },
  );
}

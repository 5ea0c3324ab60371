import { CliRefused, type CliTool } from './errors.js';
import { fetchUrls } from './fetch-urls.js';
import { looksLikeUrl } from './flags/urls.js';
import type { SourceOption } from './policy.js';

/**
 * When the operator restricts URLs (`allowedUrls` is a list), kubectl does not fetch its `-f URL`s itself
 * (it would follow redirects out of the prefixes): the runner fetches them (fetch-urls.ts) and gives the
 * documents to kubectl on stdin, the URLs in the argv replaced by one `-f -`. helm's fetches (`--repo`,
 * the chart URLs an index lists, registry redirects) are not confined this way (see the README); istioctl
 * fetches no URLs here, and argocd's `app create -f URL` is its own.
 */
const FETCHED_BY_RUNNER: readonly CliTool[] = ['kubectl'];

export interface UrlStdin {
  /** The arguments with the URLs taken out and one `-f -` where the first was. */
  args: string[];
  /** The URLs, in order. */
  urls: string[];
}

/** The tokens an option becomes once its URL items are gone: none, its other items, or its group's rest. */
function withoutUrls(args: readonly string[], source: SourceOption): { token: string[]; dropValue: boolean } {
  const { use, items } = source;
  const value = use.value ?? '';
  const token = args[use.index]!;
  // a URL holds `://`, which no option name or shorthand group does: the value is in this token iff it ends it
  const inline = token.endsWith(value);
  const prefix = inline ? token.slice(0, token.length - value.length) : token;
  const rest = items.filter((item) => !looksLikeUrl(item));
  if (rest.length > 0) {
    return inline
      ? { token: [prefix + rest.join(',')], dropValue: false }
      : { token: [token, rest.join(',')], dropValue: true };
  }
  // `-Rf URL`, `-Rf=URL`, `-RfURL`: the group keeps its other letters; `--filename…` and `-f…` go
  const letters = use.short === undefined ? '' : prefix.slice(1).replace(/=$/, '').slice(0, -1);
  return { token: letters === '' ? [] : [`-${letters}`], dropValue: !inline };
}

/**
 * The rewrite of a command whose path-or-URL options name URLs, or undefined when there is nothing to fetch
 * (another tool, no URL). Refuses a URL with the call's own `stdin` or another `-f -`: both would be stdin.
 */
export function planUrlStdin(
  tool: CliTool,
  args: readonly string[],
  sources: readonly SourceOption[],
  hasStdin: boolean,
): UrlStdin | undefined {
  if (!FETCHED_BY_RUNNER.includes(tool)) return undefined;
  const fetched = sources.filter((s) => s.items.some(looksLikeUrl));
  if (fetched.length === 0) return undefined;
  const urls = fetched.flatMap((s) => s.items.filter(looksLikeUrl));
  const dash = sources.find((s) => s.items.includes('-'));
  if (hasStdin || dash) {
    throw new CliRefused(
      tool,
      'url',
      urls[0]!,
      `Refused \`-f ${urls[0]}\` with ${dash ? '`-f -`' : 'the `stdin` argument'}: this server fetches URLs itself and gives their content to ${tool} as stdin, which can hold only one of them.`,
      'Put the content of the URLs into `stdin` yourself, or call once with the URLs and once with stdin.',
    );
  }
  const replaced = new Map<number, string[]>();
  const dropped = new Set<number>();
  for (const [n, source] of fetched.entries()) {
    const { token, dropValue } = withoutUrls(args, source);
    replaced.set(source.use.index, n === 0 ? [...token, '-f', '-'] : token);
    if (dropValue) dropped.add(source.use.index + 1);
  }
  const out: string[] = [];
  for (const [i, arg] of args.entries()) {
    if (dropped.has(i)) continue;
    out.push(...(replaced.get(i) ?? [arg]));
  }
  return { args: out, urls };
}

export interface UrlStdinOptions {
  tool: CliTool;
  allowedUrls: readonly string[] | undefined;
  stdin: string | undefined;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/**
 * For a command whose URLs the runner fetches: the new arguments, the documents as one YAML stream for
 * stdin (`\n---\n` between them) and the URLs; undefined when kubectl is run as it is.
 */
export async function urlsAsStdin(
  args: readonly string[],
  sources: readonly SourceOption[],
  options: UrlStdinOptions,
): Promise<(UrlStdin & { stdin: string }) | undefined> {
  if (options.allowedUrls === undefined) return undefined;
  const plan = planUrlStdin(options.tool, args, sources, options.stdin !== undefined);
  if (!plan) return undefined;
  const documents = await fetchUrls(plan.urls, {
    tool: options.tool,
    allowedUrls: options.allowedUrls,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  return { ...plan, stdin: documents.join('\n---\n') };
}

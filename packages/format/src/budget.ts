/** Fitting text into a token budget without re-rendering it once per row. */
import { CHARS_PER_TOKEN, estimateTokens, textWeight } from './tokens.js';

/** Weight of the first k lines joined with newlines, for every k: `prefix[k]` (each line counts its newline). */
export function prefixWeights(lines: readonly string[]): number[] {
  const prefix = new Array<number>(lines.length + 1);
  prefix[0] = 0;
  for (let i = 0; i < lines.length; i++) prefix[i + 1] = prefix[i]! + textWeight(lines[i]!) + 1;
  return prefix;
}

/** Largest k in [lo, hi] with `ok(k)` (assumed true then false as k grows), or lo - 1 when none. */
function largest(lo: number, hi: number, ok: (k: number) => boolean): number {
  let low = lo;
  let high = hi;
  if (!ok(low)) return lo - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

export interface Fitted {
  count: number;
  text: string;
}

/**
 * The largest count in [0, max] whose text fits `maxTokens`, by binary search:
 * `estimate(count)` is a cheap weight (in ASCII-character units, {@link textWeight}) that must not be lower
 * than the weight of `render(count)`; only the winner is rendered (plus a few renders in the unexpected case
 * the estimate was low). Returns undefined when not even `render(0)` fits.
 */
export function fitCount(
  max: number,
  maxTokens: number,
  estimate: (count: number) => number,
  render: (count: number) => string,
): Fitted | undefined {
  const limit = maxTokens * CHARS_PER_TOKEN;
  // Everything first: the estimate may drop at `max` (a short footer replaces a long one).
  if (estimate(max) <= limit) {
    const all = render(max);
    if (estimateTokens(all) <= maxTokens) return { count: max, text: all };
  }
  const guess = Math.max(
    0,
    largest(0, max, (k) => estimate(k) <= limit),
  );
  const text = render(guess);
  if (estimateTokens(text) <= maxTokens) return { count: guess, text };
  const rendered = new Map<number, string>();
  const fits = (k: number): boolean => {
    const candidate = render(k);
    rendered.set(k, candidate);
    return estimateTokens(candidate) <= maxTokens;
  };
  const count = largest(0, guess - 1, fits);
  if (count < 0) return undefined;
  return { count, text: rendered.get(count) ?? render(count) };
}

/** Hard cut of a text to the budget, on a character boundary (last resort when nothing else fits). */
export function clipToTokens(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  const chars = Array.from(text);
  let end = Math.min(chars.length, Math.max(0, Math.floor(maxTokens * CHARS_PER_TOKEN)));
  let out = chars.slice(0, end).join('');
  while (end > 0 && estimateTokens(out) > maxTokens) {
    end = Math.floor(end * 0.9);
    out = chars.slice(0, end).join('');
  }
  return out;
}

/**
 * Cuts `text` at a line boundary so that the kept lines plus `note(shownLines, totalLines)` on a final line
 * fit `maxTokens`. Text already within budget is returned unchanged.
 */
export function clipLines(
  text: string,
  maxTokens: number,
  note: (shown: number, total: number) => string,
): { text: string; truncated: boolean } {
  if (estimateTokens(text) <= maxTokens) return { text, truncated: false };
  const lines = text.split('\n');
  const prefix = prefixWeights(lines);
  const fitted = fitCount(
    lines.length - 1,
    maxTokens,
    (k) => prefix[k]! + textWeight(note(k, lines.length)),
    (k) => [...lines.slice(0, k), note(k, lines.length)].join('\n'),
  );
  return { text: fitted?.text ?? clipToTokens(note(0, lines.length), maxTokens), truncated: true };
}

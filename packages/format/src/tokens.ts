/**
 * Token estimation.
 *
 * We do not ship a tokenizer: it would cost megabytes and start-up time, and every model family counts
 * differently anyway. Instead the estimate is cheap and errs on the high side:
 *
 * - ASCII text counts one token per {@link CHARS_PER_TOKEN} (3.6) characters. Real BPE tokenizers average
 *   about 4 characters per token on English and code, so 3.6 over-counts a little and keeps a budget safe.
 * - Every non-ASCII UTF-16 code unit counts as a whole token (CJK, accents, emoji split into several tokens).
 *
 * The weight is additive (the weight of `a + b` is the weight of `a` plus the weight of `b`), which lets the
 * budget code fit rows by prefix sums instead of re-rendering.
 */

/** Characters of ASCII text assumed per token. */
export const CHARS_PER_TOKEN = 3.6;

/** Default token budget of one tool result (`--max-output-tokens`). */
export const DEFAULT_MAX_TOKENS = 20_000;

/** Additive weight of a text, in ASCII-character units (internal; see {@link estimateTokens}). */
export function textWeight(text: string): number {
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) nonAscii++;
  }
  return text.length - nonAscii + nonAscii * CHARS_PER_TOKEN;
}

/** Token count for a given weight, rounded up. */
export function weightToTokens(weight: number): number {
  // Round away float noise (0.1 + 0.2 style) before ceil so that exact multiples do not gain a token.
  return Math.ceil(Math.round((weight / CHARS_PER_TOKEN) * 1e6) / 1e6);
}

/**
 * Conservative token estimate of `text`: `ceil(asciiChars / 3.6 + nonAsciiCodeUnits)`.
 * For plain ASCII this is exactly `Math.ceil(text.length / 3.6)`.
 */
export function estimateTokens(text: string): number {
  return weightToTokens(textWeight(text));
}

// The same token estimate the formatter (@cloudmcp/format, tokens.ts) uses: one token per 3.6 ASCII
// characters, one per non-ASCII UTF-16 code unit, rounded up per text. Re-implemented here (a few lines)
// so the baseline is counted exactly like our own output.
export const CHARS_PER_TOKEN = 3.6;

export function estimateTokens(text) {
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) nonAscii++;
  const weight = text.length - nonAscii + nonAscii * CHARS_PER_TOKEN;
  return Math.ceil(Math.round((weight / CHARS_PER_TOKEN) * 1e6) / 1e6);
}

export { clipLines } from './budget.js';
export { CursorError, decodeCursor, encodeCursor, type Page } from './cursor.js';
export { renderJson } from './json.js';
export { pruneEmpty } from './prune.js';
export { isSecretKey, REDACTED, type RedactOptions, redact, redactText } from './redact.js';
export {
  type ListRenderOptions,
  type ObjectRenderOptions,
  type OutputFormat,
  type RenderedList,
  renderList,
  renderObject,
  type ShownTable,
} from './render.js';
export { type Column, DEFAULT_MAX_WIDTH, formatCell, renderTable, type TableOptions } from './table.js';
export { CHARS_PER_TOKEN, DEFAULT_MAX_TOKENS, estimateTokens } from './tokens.js';
export { renderYaml } from './yaml.js';
export { loadedYaml, loadYaml } from './yaml-module.js';

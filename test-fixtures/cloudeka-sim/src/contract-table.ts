import { type BodyShape, loadContracts, type RouteContract } from './contract.js';
import { loadEndpointTools } from './endpoints.js';
import { LIVE_TEST } from './live-test.js';
import { QUERY_METHODS } from './validate.js';

const list = (required: string[], optional: string[]) => [...required, ...optional.map((name) => `${name}?`)];

function bodyText(c: RouteContract, inner: BodyShape | undefined): string {
  const fields = list(
    c.required.map((p) => p.name),
    c.optional.map((p) => p.name),
  ).map((name) =>
    inner && name === inner.field ? `${name}: {${list(inner.required, inner.optional).join(', ')}}` : name,
  );
  return fields.length ? `\`{${fields.join(', ')}}\`` : '—';
}

function queryText(c: RouteContract): string {
  const names = list(
    c.required.map((p) => p.name),
    c.optional.map((p) => p.name),
  );
  return names.length ? `\`?${names.join('&')}\`` : '—';
}

/** What the simulator refuses on this route: another seed tool's arguments, the table's other path. */
function refusedText(c: RouteContract): string {
  const tools = loadEndpointTools();
  const refused = c.refused.map((name) => {
    const tool = tools.find((t) => t.tool === name)!;
    const own = tool.required.filter((p) => !c.path.includes(`:${p.name}`)).map((p) => p.name);
    if (own.length === 0) return `${name} (no arguments)`;
    return `${name} \`${QUERY_METHODS.has(c.method) ? `?${own.join('&')}` : `{${own.join(', ')}}`}\``;
  });
  if (c.replaces) refused.push(`the table's path \`${c.replaces}\``);
  return refused.join(', ');
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/**
 * The README's table of every route the simulator serves: the one shape it accepts, where that shape comes
 * from, what the seed's live test saw there, and which other shape of the seed is refused.
 */
export function contractTable(): string {
  const rows = loadContracts().map((c) => {
    const shape = QUERY_METHODS.has(c.method) ? queryText(c) : bodyText(c, c.body);
    return [
      `${c.method} \`${c.path}\``,
      c.note ? `${shape} (${c.note})` : shape,
      c.evidence,
      LIVE_TEST[c.key] ?? '',
      refusedText(c),
    ].map(cell);
  });
  const header = ['route', 'arguments (query or JSON body)', 'shape from', "seed's live test", 'refused'];
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

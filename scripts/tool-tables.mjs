#!/usr/bin/env node
// Writes the tool table of every app's README from its checked-in tools/list snapshots, so the docs and
// the code cannot drift: the region between `<!-- tools:start -->` and `<!-- tools:end -->` gets one row
// per tool (name, toolset, read/write/destructive, the description's first sentence) from
// test/tools-snapshot-all.json (every toolset on), and a line on what a session starts with from
// test/tools-snapshot.json (the default). The snapshots come from each app's test/tools-snapshot.test.ts.
//   node scripts/tool-tables.mjs            rewrite the regions
//   node scripts/tool-tables.mjs --check    fail, naming the READMEs, when a region is not what it would write
//   node scripts/tool-tables.mjs --update   first rewrite every app's snapshots from its build (after
//                                           `pnpm build`: each app's tools-snapshot test with `vitest -u`)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- tools:start -->';
const END = '<!-- tools:end -->';
const check = process.argv.includes('--check');
const update = process.argv.includes('--update');

/** read, write or destructive, as the tool's annotations say (MCP's default for a writer: destructive). */
function kind({ annotations = {} }) {
  if (annotations.readOnlyHint) return 'read';
  return annotations.destructiveHint === false ? 'write' : 'destructive';
}

const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|etc|vs|cf)\.$/;

/** The description up to the end of its first sentence (not a dot inside brackets, code or "e.g."). */
function firstSentence(text = '') {
  const flat = text.replace(/\s+/g, ' ').trim();
  let depth = 0;
  let code = false;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === '`') code = !code;
    else if (code) continue;
    else if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if ('.!?'.includes(c) && depth === 0) {
      const next = flat[i + 1];
      const after = flat[i + 2] ?? '';
      if (next !== undefined && (next !== ' ' || /[a-z0-9]/.test(after))) continue;
      if (ABBREVIATIONS.test(flat.slice(0, i + 1))) continue;
      return flat.slice(0, i + 1);
    }
  }
  return flat;
}

const cell = (text) => text.replace(/\|/g, '\\|');

/** A markdown table with padded columns, as the READMEs' hand-written tables are. */
function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const count = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const list = (names) => names.map((n) => `\`${n}\``).join(', ');

/** The region's text for one app, from its two snapshots. */
function region(all, listed) {
  const toolsets = [...new Set(all.tools.map((t) => t.toolset))];
  const allNames = new Set(all.tools.map((t) => t.name));
  const extra = listed.tools.filter((t) => !allNames.has(t.name));
  const atStart = listed.tools.filter((t) => allNames.has(t.name));
  const startToolsets = [...new Set(atStart.map((t) => t.toolset))];
  const n = (v) => v.toLocaleString('en-US');
  const tokens = (t) =>
    `${n(t.modelFacing)} tokens of tool definitions a model reads (o200k_base; output schemas ` +
    `${n(t.outputSchemas)} more)`;
  const listedNames = new Set(listed.tools.map((t) => t.name));
  // tools of toolsets that are on, missing only because a binary is not installed (istioctl, argocd)
  const notInstalled = all.tools.filter((t) => !listedNames.has(t.name) && startToolsets.includes(t.toolset));
  const summary =
    atStart.length === all.tools.length && extra.length === 0
      ? `${count(all.tools.length, 'tool')} in ${count(toolsets.length, 'toolset')}, all listed when a ` +
        `session starts: ${tokens(listed.tokens)}.`
      : startToolsets.length === toolsets.length && extra.length === 0
        ? `${count(all.tools.length, 'tool')} in ${count(toolsets.length, 'toolset')}, all listed when a ` +
          `session starts except ${list(notInstalled.map((t) => t.name))}, which are listed where their ` +
          `binaries are installed or configured: ${tokens(listed.tokens)} without them.`
        : `${count(all.tools.length, 'tool')} in ${count(toolsets.length, 'toolset')}. A session starts ` +
          `with ${count(atStart.length, 'tool')} (toolsets ${list(startToolsets)}` +
          `${extra.length ? `, and ${list(extra.map((t) => t.name))}` : ''}): ${tokens(listed.tokens)}; ` +
          `with every toolset on (\`--toolsets all\`): ${n(all.tokens.modelFacing)} ` +
          `(+${n(all.tokens.outputSchemas)}).`;
  const rows = [...all.tools, ...extra].map((t) => [
    `\`${t.name}\``,
    t.toolset ?? '—',
    kind(t),
    cell(firstSentence(t.description)),
  ]);
  return [
    START,
    '<!-- Written by `node scripts/tool-tables.mjs` from test/tools-snapshot*.json; change the tools, not this. -->',
    '',
    summary,
    '',
    table(['Tool', 'Toolset', 'Kind', 'What it does'], rows),
    '',
    END,
  ].join('\n');
}

const apps = readdirSync(join(root, 'apps')).sort();
if (update) {
  for (const app of apps) {
    if (!existsSync(join(root, 'apps', app, 'test', 'tools-snapshot.test.ts'))) continue;
    const pkg = JSON.parse(readFileSync(join(root, 'apps', app, 'package.json'), 'utf8')).name;
    const run = spawnSync(
      'pnpm',
      ['--filter', pkg, 'exec', 'vitest', 'run', 'test/tools-snapshot.test.ts', '-u'],
      { cwd: root, stdio: 'inherit' },
    );
    if (run.status !== 0) {
      console.error(`updating the snapshots of ${pkg} failed (is it built? \`pnpm build\`)`);
      process.exit(1);
    }
  }
}

const stale = [];
for (const app of apps) {
  const readmePath = join(root, 'apps', app, 'README.md');
  if (!existsSync(readmePath)) continue;
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 && end < 0) continue;
  const name = relative(root, readmePath);
  if (start < 0 || end < start) throw new Error(`${name}: ${START} … ${END} are not a pair in that order`);
  const snapshot = (file) => {
    const path = join(root, 'apps', app, 'test', file);
    if (!existsSync(path))
      throw new Error(
        `${relative(root, path)} is missing: run the app's test/tools-snapshot.test.ts with -u`,
      );
    return JSON.parse(readFileSync(path, 'utf8'));
  };
  const next =
    readme.slice(0, start) +
    region(snapshot('tools-snapshot-all.json'), snapshot('tools-snapshot.json')) +
    readme.slice(end + END.length);
  if (next === readme) continue;
  if (check) stale.push(name);
  else {
    writeFileSync(readmePath, next);
    console.log(`wrote the tool table of ${name}`);
  }
}
if (stale.length > 0) {
  console.error(
    `tool tables out of date in ${stale.join(', ')}: run \`node scripts/tool-tables.mjs\` and commit the READMEs`,
  );
  process.exit(1);
}

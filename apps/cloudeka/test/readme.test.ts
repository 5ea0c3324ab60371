import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRoutes } from 'cloudeka-sim';
import { describe, expect, it } from 'vitest';
import { cloudekaTools } from '../src/server.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
const ours = new Set(cloudekaTools.map((t) => t.name));

const [toolsPart, seedPart] = readme.split('## Replacing mcp-cldkctl') as [string, string];

/** The row of a markdown table (in one part of the README) whose first cell is `name`. */
function row(name: string, part = toolsPart): string | undefined {
  return part.split('\n').find((line) => line.startsWith(`| \`${name}\``));
}

describe('README', () => {
  it('maps every tool of mcp-cldkctl to an existing tool here', () => {
    const seed = [...new Set([...loadRoutes().map((r) => r.tool), 'auth', 'status', 'switch_environment'])];
    expect(seed.length).toBe(162);
    for (const tool of seed) {
      const line = row(tool, seedPart);
      expect(line, tool).toBeDefined();
      const here = line!.split('|').at(-3)!;
      const named = [...here.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!).filter((n) => ours.has(n));
      expect(named.length, `${tool} → ${here}`).toBeGreaterThan(0);
    }
  });

  it('says for every seed tool whether ours is the same, better or different, and why', () => {
    const rows = seedPart.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows.length).toBe(169);
    for (const line of rows) {
      const cells = line.split('|').slice(1, -1);
      // the same call needs no why; better and different say it
      expect(cells.at(-1)!.trim(), cells[0]).toMatch(/^(same( — \S.*)?|(better|different) — \S.*)$/);
    }
  });

  it('lists every tool with its toolset and kind, and counts them right', () => {
    for (const tool of cloudekaTools) {
      const a = tool.annotations;
      const kind = a.readOnlyHint ? 'read' : a.destructiveHint ? 'destructive' : 'write';
      expect(row(tool.name), tool.name).toMatch(
        new RegExp(`^\\| \`${tool.name}\`\\s+\\| ${tool.toolset}\\s+\\| ${kind}\\s+\\|`),
      );
    }
    // the intro states no count the code can change; the generated table's summary line carries the numbers
    expect(readme).not.toMatch(/through \d+ curated tools/);
  });
});

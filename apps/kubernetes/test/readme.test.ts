import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kubernetesPrompts } from '../src/prompts.js';
import { kubernetesTools } from '../src/server.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
const tools = kubernetesTools();
const ours = new Set(tools.map((t) => t.name));
const [toolsPart, seedPart] = readme.split('## Replacing the K8s MCP Server') as [string, string];

/** The row of a markdown table (in one part of the README) whose first cell is `name`. */
function row(name: string, part: string): string | undefined {
  return part.split('\n').find((line) => line.startsWith(`| \`${name}\``));
}

describe('README', () => {
  it('lists every tool with its toolset and kind, and counts them right', () => {
    for (const tool of tools) {
      const a = tool.annotations;
      const kind = a.readOnlyHint ? 'read' : a.destructiveHint ? 'destructive' : 'write';
      expect(row(tool.name, toolsPart), tool.name).toMatch(
        new RegExp(`^\\| \`${tool.name}\`\\s+\\| ${tool.toolset}\\s+\\| ${kind}\\s+\\|`),
      );
    }
    expect(readme).toContain(`through ${tools.length} tools`);
  });

  it('maps every tool of the seed (and its header and health check) to ours', () => {
    // Every row says how ours compares (same, better, different, stricter) and why.
    const table = seedPart
      .split('\n## ')[0]!
      .split('\n')
      .filter((l) => l.startsWith('|'));
    const rows = table.slice(2);
    expect(table[0]).toMatch(/^\| Seed\s+\| Here\s+\| Compared\s+\| Why\s+\|$/);
    expect(rows.length).toBeGreaterThanOrEqual(11);
    for (const line of rows) {
      const [, , compared, why] = line.split(' | ');
      expect(compared, line).toMatch(/\b(same|better|different|stricter)\b/);
      expect(why!.trim().length, line).toBeGreaterThan(20);
    }
    for (const seed of ['kubectl', 'helm', 'istioctl', 'argocd']) {
      const line = row(seed, seedPart);
      expect(line, seed).toMatch(/\(`command`, `namespace`, `kubeconfig`\)/);
      const here = line!.split('|')[2]!;
      expect(
        [...here.matchAll(/`([a-z_]+)`/g)].some((m) => ours.has(m[1]!)),
        seed,
      ).toBe(true);
    }
    expect(row('X-Kubeconfig', seedPart)).toBeDefined();
    expect(row('/health', seedPart)).toMatch(/`\/health`, the same status for the seed's probes/);
    expect(row('HOST', seedPart)).toMatch(/`PORT` \(with `HOST`\) read as `--http`/);
  });

  it('documents both prompts and every option', () => {
    for (const prompt of kubernetesPrompts) expect(readme).toContain(`| \`${prompt.name}\``);
    for (const flag of [
      '--kubeconfig',
      '--in-cluster',
      '--context',
      '--kubectl-path',
      '--cli-dirs',
      '--cli-local-files',
    ]) {
      expect(readme).toContain(`| \`${flag}\``);
    }
  });
});

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ocmOptions } from '../src/config.js';
import { ocmTools } from '../src/server.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
const tools = ocmTools();

describe('README', () => {
  it('lists every tool with its toolset and kind, and counts them right', () => {
    for (const tool of tools) {
      const a = tool.annotations;
      const kind = a.readOnlyHint ? 'read' : a.destructiveHint ? 'destructive' : 'write';
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${tool.name}\` `));
      expect(row, tool.name).toMatch(
        new RegExp(`^\\| \`${tool.name}\`\\s+\\| ${tool.toolset}\\s+\\| ${kind}\\s+\\|`),
      );
    }
    const rows = readme
      .split('\n')
      .filter((line) => /^\| `[a-z_]+`\s+\| [a-z]+\s+\| (read|write|destructive)\s+\|/.test(line));
    expect(rows).toHaveLength(tools.length);
    expect(readme).toContain(`${tools.length} tools`);
  });

  it('documents every option of its own with its environment variables', () => {
    for (const option of ocmOptions) {
      const row = readme
        .split('\n')
        .find((line) => line.startsWith('| ') && line.includes(`\`--${option.name}\``));
      expect(row, option.name).toBeDefined();
      for (const env of option.env ?? []) expect(row, `${option.name} ${env}`).toContain(`\`${env}\``);
    }
  });
});

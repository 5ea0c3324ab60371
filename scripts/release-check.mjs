#!/usr/bin/env node
// Before a release (.github/workflows/release.yml): every public package's repository and every server's
// MCP registry name must be this GitHub repository's, as npm provenance and the registry's GitHub login
// check. Until the repository exists they name the placeholder owner OWNER.
//   GITHUB_REPOSITORY=owner/name node scripts/release-check.mjs
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// biome-ignore lint/suspicious/noUndeclaredEnvVars: a release step's input, not a turbo task's
const repository = process.env.GITHUB_REPOSITORY;
if (!repository?.includes('/')) throw new Error('release-check: GITHUB_REPOSITORY (owner/name) is not set');
const owner = repository.split('/')[0];

const wrong = [];
for (const dir of ['packages', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((n) => `${d}/${n}`))) {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  if (manifest.repository?.url !== `git+https://github.com/${repository}.git`) {
    wrong.push(`${dir}/package.json: repository.url is ${manifest.repository?.url}`);
  }
  const server = dir.startsWith('apps/') && dir.slice('apps/'.length);
  if (server && manifest.mcpName !== `io.github.${owner}/${server}`) {
    wrong.push(`${dir}/package.json: mcpName is ${manifest.mcpName}`);
  }
}
if (wrong.length) {
  console.error(`Not this repository (${repository}):\n  ${wrong.join('\n  ')}`);
  console.error(
    `Next: replace the placeholder in every package.json (repository, homepage, bugs, mcpName), e.g.\n` +
      `  sed -i -e 's#OWNER/cloudmcp#${repository}#g' -e 's#io.github.OWNER/#io.github.${owner}/#g' \\\n` +
      `    apps/*/package.json packages/*/package.json\n` +
      `then node scripts/server-json.mjs, and commit.`,
  );
  process.exit(1);
}
console.log(`release-check: every package names ${repository}`);

#!/usr/bin/env node
// Writes apps/<server>/server.json, each server's entry for the MCP registry
// (https://github.com/modelcontextprotocol/registry, docs/reference/server-json), from its package.json and
// the options its build reads (`<server>Options` and `<server>ConfigSchema` of dist/index.js, and the safety
// options every server shares), so the environment variables it lists cannot drift from the server.
// `--check` (CI, after `pnpm build`) writes nothing and fails when a file is not what it would write.
//   node scripts/server-json.mjs [--check]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SCHEMA = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
/** Shared options that matter to someone installing a server for one MCP client (the HTTP ones do not). */
const SHARED = ['read-only', 'disable-destructive', 'toolsets', 'enable-tools', 'disable-tools', 'log-level'];
/** The registry's one-line title of each server. */
const TITLES = {
  cloudeka: 'Cloudeka',
  cloudstack: 'Apache CloudStack',
  kubernetes: 'Kubernetes',
  ocm: 'Open Cluster Management',
  oke: 'Oracle Kubernetes Engine',
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const toolkit = await import(pathToFileURL(join(root, 'packages/toolkit/dist/index.js')).href);
const shared = SHARED.map((name) => {
  const option = toolkit.COMMON_OPTIONS.find((o) => o.name === name);
  if (!option) throw new Error(`server-json: the toolkit has no common option ${name}`);
  return option;
});

let stale = 0;
for (const server of readdirSync(join(root, 'apps'))) {
  const file = join(root, 'apps', server, 'server.json');
  const text = `${JSON.stringify(await serverJson(server), null, 2)}\n`;
  const current = readFileSync(file, { encoding: 'utf8', flag: 'a+' });
  if (current === text) continue;
  if (check) {
    console.error(`apps/${server}/server.json is stale: run node scripts/server-json.mjs (after pnpm build)`);
    stale++;
  } else {
    writeFileSync(file, text);
    console.log(`wrote apps/${server}/server.json`);
  }
}
if (stale) process.exit(1);

async function serverJson(server) {
  const manifest = JSON.parse(readFileSync(join(root, 'apps', server, 'package.json'), 'utf8'));
  const built = await import(pathToFileURL(join(root, 'apps', server, 'dist/index.js')).href);
  const options = built[`${server}Options`];
  const schema = built[`${server}ConfigSchema`];
  if (!options || !schema)
    throw new Error(`server-json: apps/${server} exports no ${server}Options/ConfigSchema`);
  const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  return {
    $schema: SCHEMA,
    name: manifest.mcpName,
    title: TITLES[server],
    // the registry takes 100 characters: the package's description up to its colon
    description: manifest.description.split(':')[0],
    repository: { url: repository, source: 'github', subfolder: manifest.repository.directory },
    websiteUrl: manifest.homepage,
    version: manifest.version,
    packages: [
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: manifest.name,
        version: manifest.version,
        transport: { type: 'stdio' },
        environmentVariables: [
          ...options.filter((o) => o.env).map((o) => variable(o, isRequired(schema, o))),
          ...shared.map((o) => variable(o, false)),
        ],
      },
    ],
  };
}

/** An option as the registry's KeyValueInput: its first environment variable (the others are aliases). */
function variable(option, required) {
  const format =
    option.type === 'boolean'
      ? 'boolean'
      : option.type === 'number'
        ? 'number'
        : ['FILE', 'DIR'].includes(option.valueName)
          ? 'filepath'
          : 'string';
  const defaultText = option.defaultText ? ` Default: ${option.defaultText}.` : '';
  return {
    name: option.env[0],
    description: `${option.description}${defaultText}`,
    format,
    isRequired: required,
    isSecret: Boolean(option.secret),
  };
}

/** Required when the server's config schema refuses to go without it (most have a default or an alternative). */
function isRequired(schema, option) {
  const field = schema.shape?.[toolkit.camelCase(option.name)];
  return field ? !field.safeParse(undefined).success : false;
}

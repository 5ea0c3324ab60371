import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Arena,
  BIN_CACHE,
  HELM_MISSING,
  KUBECTL_MISSING,
  type Listener,
  lazy,
  listen,
  type Route,
  random,
  type StdioSession,
  secretValues,
} from './harness.js';

// Class 5: helm renders Secrets: a chart's `lookup` reads any Secret into a --dry-run=server render, and
// `helm get values|all|manifest` and `helm status -o json` print a release's values. Refused without
// --allow-secrets; neither the cluster's Secret values nor a release's secret value ever come back.

const MISSING = HELM_MISSING ?? KUBECTL_MISSING;
let arena: Arena;
let chart: string;
let repo: Listener;
const routes: Record<string, Route> = {};
const releaseSecret = random('hunter2');
/** A value of the release under a key no redaction knows: what --allow-secrets lets through. */
const releaseNote = random('note');

function writeChart(name: string, templates: Record<string, string>): string {
  const dir = join(arena.dir, name);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
  writeFileSync(join(dir, 'values.yaml'), 'password: ""\n');
  for (const [file, text] of Object.entries(templates)) writeFileSync(join(dir, 'templates', file), text);
  return dir;
}

const helm = (args: string[]) =>
  execFileSync(join(BIN_CACHE, 'helm'), args, { env: { PATH: process.env['PATH'] ?? '', HOME: arena.dir } });

beforeAll(async () => {
  if (MISSING) return;
  arena = await Arena.open();
  arena.forbidden.push(...secretValues(arena.sim));
  chart = writeChart('peek', {
    'cm.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-peek\ndata:\n' +
      '  stolen: {{ (lookup "v1" "Secret" "team-a" "db-credentials").data | toJson | quote }}\n',
  });
  // the same chart served as a repository, for servers that may not read local files
  repo = await listen(routes);
  arena.onClose(() => repo.close());
  const out = join(arena.dir, 'repo');
  mkdirSync(out);
  helm(['package', chart, '-d', out]);
  helm(['repo', 'index', out, '--url', repo.url]);
  routes['/index.yaml'] = { body: readFileSync(join(out, 'index.yaml')) };
  routes['/peek-0.1.0.tgz'] = { body: readFileSync(join(out, 'peek-0.1.0.tgz')) };

  // a release whose values hold a secret, installed by the operator
  const keeper = writeChart('keeper', {
    'secret.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-keeper\nstringData:\n' +
      '  password: {{ .Values.password | quote }}\n',
  });
  const operator = await arena.stdio(['--cli-local-files', '--allow-secrets']);
  const installed = await operator.call('helm', {
    command: `install kept ${keeper} --set password=${releaseSecret} --set note=${releaseNote}`,
    namespace: 'default',
  });
  if (installed.isError) throw new Error(`setup: ${installed.text}`);
});
afterEach(() => arena?.expectNothingLeaked());
afterAll(() => arena?.close());

describe.skipIf(!!MISSING)(`helm renders Secrets${MISSING ? ` (skipped: ${MISSING})` : ''}`, () => {
  let local: StdioSession;
  const remote = lazy(() => arena.stdio(['--cli-allowed-urls', `${repo.url}/`]));
  beforeAll(async () => {
    local = await arena.stdio(['--cli-local-files']);
  });

  it.each([
    'install peek CHART --dry-run=server -n default',
    'install peek CHART --dry-run=server -n default -o json',
    'upgrade --install peek CHART --dry-run=server -n default',
    'template peek CHART --dry-run=server',
  ])('lookup in a local chart: helm %s is refused, no Secret value', async (command) => {
    const result = await local.call('helm', { command: command.replace('CHART', chart) });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/lookup|dry-run|secret/i);
    for (const value of secretValues(arena.sim)) expect(result.text).not.toContain(value);
  });

  it.each([
    'install peek peek --repo REPO/ --dry-run=server -n default',
    'template peek peek --repo REPO/ --dry-run=server',
  ])('lookup in a chart from an allowed repo: helm %s is refused, no Secret value', async (command) => {
    const result = await (await remote()).call('helm', { command: command.replace('REPO', repo.url) });
    expect(result.isError).toBe(true);
    for (const value of secretValues(arena.sim)) expect(result.text).not.toContain(value);
  });

  it.each([
    'get values kept -n default',
    'get values kept -n default --all -o json',
    'get all kept -n default',
    'get manifest kept -n default',
    'status kept -n default -o json',
  ])('helm %s is refused without --allow-secrets; the release secret never shows', async (command) => {
    const result = await local.call('helm', { command });
    expect(result.isError).toBe(true);
    for (const value of [releaseSecret, releaseNote]) {
      expect(result.text).not.toContain(value);
      expect(JSON.stringify(result.structured ?? {})).not.toContain(value);
    }
  });

  it('with --allow-secrets the operator sees the values (control)', async () => {
    const trusting = await arena.stdio(['--allow-secrets']);
    const result = await trusting.call('helm', { command: 'get values kept -n default' });
    expect(result.isError).toBe(false);
    expect(result.text).toContain(releaseNote);
  });
});

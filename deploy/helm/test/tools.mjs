// The real helm 4 and kubectl 1.35 (from .bin-cache/, put there by scripts/fetch-kubectl.sh), run with a
// scrubbed environment whose HOME and helm/kubectl caches are in a temporary directory.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CHART = join(ROOT, 'deploy/helm/cloudmcp');
const binary = (name) => join(ROOT, '.bin-cache', name);

/** Why the chart checks cannot run here, or undefined when both binaries are present. */
export function missingTools() {
  const missing = ['helm', 'kubectl'].filter((name) => !existsSync(binary(name)));
  return missing.length === 0
    ? undefined
    : `${missing.join(' and ')} not in .bin-cache/: run bash scripts/fetch-kubectl.sh`;
}

/** A scratch HOME for one test file; `dispose()` removes it. */
export function scratchHome() {
  const home = mkdtempSync(join(tmpdir(), 'cloudmcp-chart-'));
  return { home, dispose: () => rmSync(home, { recursive: true, force: true }) };
}

/** Runs a .bin-cache binary; resolves with { code, stdout, stderr } (never rejects on a non-zero exit). */
export function run(name, args, { home, input } = {}) {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'helm-cache'),
    HELM_CONFIG_HOME: join(home, 'helm-config'),
    HELM_DATA_HOME: join(home, 'helm-data'),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(binary(name), args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** `helm template` of the chart as release `name` in `namespace` with these values files and --set pairs. */
export function helmTemplate(home, { name = 'mcp', namespace, values = [], set = [] }) {
  return run(
    'helm',
    [
      'template',
      name,
      CHART,
      '--namespace',
      namespace,
      ...values.flatMap((file) => ['--values', file]),
      ...set.flatMap((pair) => ['--set', pair]),
    ],
    { home },
  );
}

/** The rendered YAML's documents that hold an object (helm's `# Source:` comments and empty ones dropped). */
export function documents(yamlText) {
  return yamlText
    .split(/^---$/m)
    .map((doc) => doc.trim())
    .filter((doc) => /^kind: /m.test(doc));
}

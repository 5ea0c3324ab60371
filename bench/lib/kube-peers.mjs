// The two Kubernetes MCP servers we compare against, from npm (pinned in bench/package.json), and the
// programs the comparison needs: where each is, its version, and a check that each is there.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** kubectl and helm from `bash scripts/fetch-kubectl.sh` (the TS peer runs kubectl for every call). */
export const BIN_DIR = join(root, '.bin-cache');

/**
 * mcp-server-kubernetes runs `kubectl get -o json` through spawnSync with maxBuffer SPAWN_MAX_BUFFER (default
 * 1 MiB); 500 pods are ~2.5 MB of JSON, so the default fails. 16 MiB is its documented knob turned up, not
 * a patch.
 */
export const FLUX_MAX_BUFFER = String(16 * 1024 * 1024);

const goDir = dirname(require.resolve('kubernetes-mcp-server/package.json'));
const fluxDir = dirname(require.resolve('mcp-server-kubernetes/package.json'));
const versionOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;

/** containers/kubernetes-mcp-server (Go): the binary from its platform package, and its npm bin wrapper. */
export const GO_PEER = {
  version: versionOf(goDir),
  binary: (() => {
    const names = { x64: 'amd64', arm64: 'arm64' };
    const pkg = `kubernetes-mcp-server-${process.platform}-${names[process.arch] ?? process.arch}`;
    return createRequire(join(goDir, 'package.json')).resolve(`${pkg}/bin/${pkg}`);
  })(),
  wrapper: join(goDir, 'bin/index.js'),
};

/** Flux159/mcp-server-kubernetes (TypeScript). */
export const TS_PEER = { version: versionOf(fluxDir), cli: join(fluxDir, 'dist/index.js') };

/** Exits with a hint when something the comparison runs is missing; `ours` is [what, path] pairs. */
export function checkKubeBench(ours) {
  for (const [what, path, hint] of [
    ...ours.map(([w, p]) => [w, p, 'pnpm build']),
    ['kube-sim', fileURLToPath(import.meta.resolve('kube-sim')), 'pnpm build'],
    ['kubectl', join(BIN_DIR, 'kubectl'), 'bash scripts/fetch-kubectl.sh'],
    ['kubernetes-mcp-server (Go binary)', GO_PEER.binary, 'pnpm install'],
    ['mcp-server-kubernetes', TS_PEER.cli, 'pnpm install'],
  ]) {
    if (!existsSync(path)) {
      console.error(`bench: ${what} is missing (${path}). Run \`${hint}\`.`);
      process.exit(2);
    }
  }
}

// A round-robin HTTP proxy in its own process (lib/rr-proxy-child.mjs), standing for a Kubernetes Service in
// front of replicas: each request goes to the next backend in turn, over keep-alive connections.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Forks the proxy in front of `backends` (base URLs); resolves with { url, pid, close() }. */
export function startRoundRobinProxy(backends) {
  const child = fork(
    fileURLToPath(new URL('./rr-proxy-child.mjs', import.meta.url)),
    [JSON.stringify(backends)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the proxy exited early (code ${code})`)));
    child.once('message', ({ url }) => {
      child.removeAllListeners('exit');
      const exited = new Promise((done) => child.once('exit', done));
      resolve({
        url,
        pid: child.pid,
        close: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

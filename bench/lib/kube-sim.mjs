// Starts lib/kube-sim-child.mjs and resolves with { clusters, kubeconfig, pid, close() }.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function startKubeSimProcess(options, kubeconfig) {
  const child = fork(
    fileURLToPath(new URL('./kube-sim-child.mjs', import.meta.url)),
    [JSON.stringify(options), kubeconfig],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('kube-sim did not start within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`kube-sim exited early (code ${code})`)));
    child.once('message', (info) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        ...info,
        kubeconfig,
        pid: child.pid,
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.send('close');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      });
    });
  });
}

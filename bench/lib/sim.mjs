// Starts lib/sim-child.mjs and resolves with { url, credentials, close() }.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function startSimProcess(options) {
  const child = fork(fileURLToPath(new URL('./sim-child.mjs', import.meta.url)), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 30 s')), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the simulator exited early (code ${code})`)));
    child.once('message', (info) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        ...info,
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

// A simulator in its own process, so that its CPU work (signing checks, TLS, list encoding) is not charged
// to the benchmark client's event loop. The parent forks a child module; the child starts its simulator,
// reports what the bench needs over IPC and stops on 'close' or when the parent goes away.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Forks `childUrl` with `argv`; resolves with the child's report plus { pid, close() }. */
export function forkSim(childUrl, argv, what, startTimeoutMs = 30_000) {
  const child = fork(fileURLToPath(childUrl), argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not start within ${startTimeoutMs / 1000} s`)),
      startTimeoutMs,
    );
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${what} exited early (code ${code})`)));
    child.once('message', (info) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        ...info,
        pid: child.pid,
        /** Asks the child one of its `answers` (one question at a time) and resolves with the answer. */
        ask: (question) =>
          new Promise((answer) => {
            child.once('message', answer);
            child.send({ ask: question });
          }),
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

/**
 * The child's side: sends `info` to the parent, empties the simulator's request logs every second (they
 * would grow by one entry per call for the whole run; the benchmarks do not read them), answers the
 * parent's `ask(name)` with `answers[name]()` (simulator state the bench reads during the run), and stops
 * the simulator on 'close'.
 */
export function serveSimInChild(info, { logs, close, answers = {} }) {
  const trim = setInterval(() => {
    for (const log of logs()) if (Array.isArray(log)) log.length = 0;
  }, 1000);
  trim.unref();
  process.send(info);
  process.on('message', async (message) => {
    if (message === 'close') {
      await close();
      process.exit(0);
    }
    if (Object.hasOwn(answers, message?.ask ?? '')) process.send(answers[message.ask]());
  });
  process.on('disconnect', () => process.exit(0));
}

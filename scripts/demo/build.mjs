// The demo's build: turbo builds what changed since the last build and replays the rest from its cache.
// A first build takes minutes, so each package gets a line as it starts; the tools' own output is shown
// only if the build fails.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { root } from '../sims.mjs';
import { say } from './session.mjs';

export async function build() {
  say(
    'Building the packages, servers and simulators (a first build takes a few minutes; later ones seconds):',
  );
  const turbo = spawn(join(root, 'node_modules/.bin/turbo'), ['run', 'build', '--output-logs=new-only'], {
    cwd: root,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  let count = 0;
  const lines = createInterface({ input: turbo.stdout });
  lines.on('line', (line) => {
    output.push(line);
    const task = /^(\S+):build: cache (hit|miss)/.exec(line);
    if (task) say(`  ${String(++count).padStart(2)}. ${task[1]}${task[2] === 'hit' ? ' (unchanged)' : ''}`);
  });
  turbo.stderr.on('data', (chunk) => output.push(String(chunk)));
  const code = await new Promise((resolve) => turbo.on('close', resolve));
  if (code !== 0) {
    console.error(output.join('\n'));
    throw new Error(`the build failed (turbo exited ${code}); its output is above`);
  }
}

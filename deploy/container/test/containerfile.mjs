// Reads deploy/Containerfile: its stages' instructions (continuation lines joined), so the tests run what
// the file says rather than a copy of it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CONTAINERFILE = fileURLToPath(new URL('../../Containerfile', import.meta.url));

/** [{ from, instructions: [{ op, args }] }] per stage, comments dropped. */
export function stages(text = readFileSync(CONTAINERFILE, 'utf8')) {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const out = [];
  for (const line of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op === 'FROM') out.push({ from: args, instructions: [] });
    else if (out.length > 0) out.at(-1).instructions.push({ op, args });
  }
  return out;
}

/** The runtime (last) stage: its ENV as an object, USER, EXPOSE, ENTRYPOINT argv and COPY lines. */
export function runtimeStage(text) {
  const { instructions } = stages(text).at(-1);
  const all = (op) => instructions.filter((i) => i.op === op).map((i) => i.args);
  const env = {};
  for (const args of all('ENV')) {
    for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key] = value;
  }
  return {
    env,
    user: all('USER').at(-1),
    expose: all('EXPOSE'),
    entrypoint: JSON.parse(all('ENTRYPOINT').at(-1)),
    copies: all('COPY'),
  };
}

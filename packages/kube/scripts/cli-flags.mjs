#!/usr/bin/env node
/**
 * Writes src/runner/flags/<tool>.json: every command of a real kubectl or helm binary with its options
 * (long name, shorthand, whether it takes a value), read from the binary's own `--help`. The runner's
 * allowlist is built on these files; the classification (paths, URLs, refusals) stays in TypeScript.
 *
 *   node scripts/cli-flags.mjs kubectl ../../.bin-cache/kubectl
 *   node scripts/cli-flags.mjs helm ../../.bin-cache/helm
 *
 * Run by hand when the supported version changes, then review the diff and the classification tests.
 *
 * How a value is told apart: helm prints pflag's usage (a type name for value options, `[=x]` for an
 * optional value); kubectl prints `--name=default`, so booleans are those shown `=true|false`, and an
 * option with an optional value (pflag's NoOptDefVal, such as `--dry-run` or `--cascade`) is found by asking
 * the binary to parse `<command> --help --name`: it errors when the option needs a value and prints help
 * when it does not. Nothing is run: every call carries `--help`, in an empty directory with an empty HOME.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const [tool, binary] = process.argv.slice(2);
if ((tool !== 'kubectl' && tool !== 'helm') || !binary) {
  console.error('usage: node scripts/cli-flags.mjs kubectl|helm PATH-TO-BINARY');
  process.exit(2);
}

const home = mkdtempSync(join(tmpdir(), 'cli-flags-'));
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'none') };

/** Runs the binary with argv only; resolves with its exit code and output. */
function run(args) {
  return new Promise((done) => {
    execFile(resolve(binary), args, { cwd: home, env, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Lines of the help section whose header matches, up to the next unindented line. */
function section(help, header) {
  const out = [];
  let inside = false;
  for (const line of help.split('\n')) {
    if (/^\S/.test(line)) inside = header.test(line);
    else if (inside) out.push(line);
  }
  return out;
}

/** Help text that names a file, directory, path or URL: these options need a human's classification. */
const MENTIONS = /\b(?:files?|file ?names?|director(?:y|ies)|dir|paths?|urls?|uris?|kubeconfig|keyring)\b/i;

function kubectlFlags(help) {
  const flags = {};
  const lines = section(help, /^(Options:|The following options)/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s+(?:-(\S), )?--([\w-]+)=(.*):$/.exec(lines[i]);
    if (!m) continue;
    let text = '';
    for (let j = i + 1; j < lines.length && !/^\s+(?:-\S, )?--[\w-]+=/.test(lines[j]); j++) text += lines[j];
    flags[m[2]] = {
      ...(m[1] ? { short: m[1] } : {}),
      value: m[3] === 'true' || m[3] === 'false' ? 'none' : 'required',
      ...(MENTIONS.test(text) ? { mentions: 'path or URL' } : {}),
    };
  }
  return flags;
}

function helmFlags(help) {
  const flags = {};
  for (const line of section(help, /^(Flags|Global Flags):$/)) {
    const m = /^\s+(?:-(\S), )?\s*--([\w-]+)(?: ([^\s[]+))?(\[=[^\]]*\])?\s+(.*)$/.exec(line);
    if (!m) continue;
    flags[m[2]] = {
      ...(m[1] ? { short: m[1] } : {}),
      value: m[4] ? 'optional' : m[3] ? 'required' : 'none',
      ...(MENTIONS.test(m[5]) ? { mentions: 'path or URL' } : {}),
    };
  }
  return flags;
}

function subcommands(help) {
  const names = [];
  for (const line of section(help, /Commands.*:$/)) {
    const m = /^ {2}([a-z][\w-]*)\s{2,}\S/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

/** The names after `Aliases:` (kubectl prints them unindented, helm indented), without the command's own. */
function aliases(help, name) {
  const lines = help.split('\n');
  const at = lines.indexOf('Aliases:');
  if (at < 0) return [];
  return lines[at + 1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== name);
}

/** kubectl: options shown with a value whose value is optional (pflag NoOptDefVal). */
async function markOptional(path, flags) {
  const names = Object.keys(flags).filter((n) => flags[n].value === 'required');
  const results = await Promise.all(names.map((n) => run([...path, '--help', `--${n}`])));
  names.forEach((n, i) => {
    if (results[i].code === 0) flags[n].value = 'optional';
  });
}

async function describe(path) {
  const { stdout } = await run([...path, '--help']);
  const flags = tool === 'kubectl' ? kubectlFlags(stdout) : helmFlags(stdout);
  if (tool === 'helm' && path.length > 0) {
    // helm lists the inherited global flags under every command; keep each command's own
    for (const name of Object.keys(globals)) delete flags[name];
  }
  if (tool === 'kubectl') await markOptional(path, flags);
  return { stdout, flags };
}

let globals = {};
const commands = {};
if (tool === 'kubectl') {
  const { stdout } = await run(['options']);
  globals = kubectlFlags(stdout);
  await markOptional([], globals);
  globals.help = { short: 'h', value: 'none' }; // cobra's own, on every command, not listed by `options`
} else {
  globals = helmFlags((await run(['--help'])).stdout);
}
commands[''] = { flags: globals };

const root = (await run(['--help'])).stdout;
const queue = subcommands(root).map((name) => [name]);
// cobra's own `help` command runs everywhere but kubectl does not list it
if (!queue.some((path) => path[0] === 'help')) queue.push(['help']);
while (queue.length > 0) {
  const batch = queue.splice(0, 8);
  const described = await Promise.all(batch.map(describe));
  batch.forEach((path, i) => {
    const { stdout, flags } = described[i];
    const alias = aliases(stdout, path.at(-1));
    commands[path.join(' ')] = { ...(alias.length > 0 ? { aliases: alias } : {}), flags };
    for (const sub of subcommands(stdout)) queue.push([...path, sub]);
  });
}

const shown = await run(['version', tool === 'kubectl' ? '--client' : '--short']);
const version = /v\d+\.\d+\.\d+/.exec(shown.stdout)?.[0];
const sorted = Object.fromEntries(
  Object.keys(commands)
    .sort()
    .map((k) => [k, commands[k]]),
);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'runner', 'flags', `${tool}.json`);
const text = JSON.stringify(
  { tool, version, generatedBy: 'scripts/cli-flags.mjs', commands: sorted },
  null,
  2,
)
  // one line per option, so a new version's diff reads option by option
  .replace(/\{\n\s+("(?:short|value)"[^{}]*?)\n\s+\}/g, (m) => m.replace(/\s*\n\s*/g, ' '));
writeFileSync(out, `${text}\n`, { mode: 0o644 });
rmSync(home, { recursive: true, force: true });
console.error(`${out}: ${Object.keys(sorted).length} commands`);

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';

export type CliCommand<O> = { help: true } | { help: false; options: O };

export type ArgValues = Record<string, string | boolean | undefined>;

export type SimArgs =
  | { help: true }
  | { help: false; port: number; host: string; seed?: 'realistic' | 'empty'; values: ArgValues };

/** A non-negative integer option, or undefined when it was not given. */
export function count(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

/**
 * Parses the options every simulator CLI has (--port, --host, --seed, --help) plus the simulator's own
 * string or boolean `options`. `check` runs after --seed is validated and before --port is.
 */
export function parseSimArgs(
  argv: string[],
  spec: {
    defaultPort: number;
    options: Record<string, { type: 'string' | 'boolean' }>;
    check?: (values: ArgValues) => void;
  },
): SimArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      ...spec.options,
      help: { type: 'boolean', short: 'h' },
    },
  });
  const v = values as ArgValues;
  if (v.help) return { help: true };
  const seed = v.seed as string | undefined;
  if (seed !== undefined && seed !== 'realistic' && seed !== 'empty') {
    throw new Error(`--seed must be realistic or empty, got "${seed}"`);
  }
  spec.check?.(v);
  const port = count('port', v.port as string | undefined) ?? spec.defaultPort;
  if (port > 65535) throw new Error(`--port must be at most 65535, got ${port}`);
  const args: SimArgs = { help: false, port, host: (v.host as string | undefined) ?? '127.0.0.1', values: v };
  if (seed !== undefined) args.seed = seed;
  return args;
}

/**
 * The body of a simulator's bin: parse argv (exit 2 with usage on errors), start, print the banner, and
 * close on SIGINT/SIGTERM.
 */
export async function runCli<O, S extends { close(): Promise<void> }>(spec: {
  name: string;
  usage: string;
  parse(argv: string[]): CliCommand<O>;
  start(options: O): Promise<S>;
  banner(sim: S): string;
}): Promise<void> {
  let command: CliCommand<O>;
  try {
    command = spec.parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${spec.name}: ${(err as Error).message}\n\n${spec.usage}`);
    process.exit(2);
  }
  if (command.help) {
    console.log(spec.usage);
    process.exit(0);
  }

  const sim = await spec.start(command.options).catch((err: Error) => {
    console.error(`${spec.name}: ${err.message}`);
    process.exit(1);
  });
  console.log(spec.banner(sim));

  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything printed on stdout until `ready` said so. */
  out: string;
  /** Sends SIGTERM and resolves to the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns a built simulator CLI with node and waits until `ready(stdout so far)`; rejects if it exits first. */
export async function spawnCli(
  cli: string,
  args: string[],
  ready: (out: string) => boolean,
): Promise<RunningCli> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (ready(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
  });
  return {
    child,
    out,
    stop: async () => {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

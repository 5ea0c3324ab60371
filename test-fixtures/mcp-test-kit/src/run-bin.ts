import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built bin (`node cli args…`) with only PATH and `env` in its environment;
 * a non-zero exit is a result, not an error.
 */
export async function runBin(
  cli: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<BinResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

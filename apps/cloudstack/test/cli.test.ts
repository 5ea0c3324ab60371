import { runBin } from 'mcp-test-kit';
import { describe, expect, it } from 'vitest';
import { CLI } from './harness.js';

function cli(args: string[], env: Record<string, string> = {}) {
  return runBin(CLI, args, { HOME: '/nonexistent', ...env });
}

const keys = {
  CLOUDSTACK_API_URL: 'https://cloud.example.com/client/api',
  CLOUDSTACK_API_KEY: 'k',
  CLOUDSTACK_SECRET_KEY: 's',
};

describe('cloudstack-mcp command line', () => {
  it('--help tells every option with its environment variable, --version the version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const env of [
      'CLOUDSTACK_API_URL',
      'CLOUDSTACK_API_KEY',
      'CLOUDSTACK_SECRET_KEY',
      'CLOUDSTACK_USERNAME',
      'CLOUDSTACK_SSH_KEY_DIR',
    ]) {
      expect(help.stdout).toContain(`env ${env}`);
    }
    expect(help.stdout).toMatch(/--read-only\s+Expose only tools that read/);
    expect((await cli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [[], {}, /^cloudstack-mcp: --api-url \(CLOUDSTACK_API_URL\) is required/],
    [
      [],
      { CLOUDSTACK_API_URL: 'https://x.example/client/api' },
      /^cloudstack-mcp: no credentials: set CLOUDSTACK_API_KEY/,
    ],
    [[], { ...keys, CLOUDSTACK_SECRET_KEY: '' }, /--api-key and --secret-key .* go together/],
    [
      [],
      { ...keys, CLOUDSTACK_API_URL: 'not a url' },
      /^cloudstack-mcp: --api-url \(CLOUDSTACK_API_URL\): must be a URL/,
    ],
    [[], { ...keys, CLOUDSTACK_TIMEOUT: 'soon' }, /CLOUDSTACK_TIMEOUT.*expected a number, got "soon"/],
    [
      ['--cmk-profile', 'prod', '--cmk-config', '/nonexistent/config'],
      keys,
      /--cmk-profile: cannot read CloudMonkey config/,
    ],
    [['--frobnicate'], keys, /Unknown option '--frobnicate'/],
    [
      ['--ssh-key-dir', 'keys'],
      keys,
      /^cloudstack-mcp: --ssh-key-dir \(CLOUDSTACK_SSH_KEY_DIR\): must be an absolute path/,
    ],
  ])('a bad configuration %j %j exits 2 with one line', async (args, env, message) => {
    const result = await cli(args, env as Record<string, string>);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('--list-tools follows the policy flags', async () => {
    const all = await cli(['--list-tools'], keys);
    const readOnly = await cli(['--list-tools', '--read-only'], keys);
    const vmOnly = await cli(['--list-tools', '--toolsets', 'vm', '--disable-destructive'], keys);
    expect(all.stdout).toContain('vm_destroy');
    expect(readOnly.stdout).not.toMatch(/\s(write|destructive)\s/);
    expect(readOnly.stdout).toContain('api_query');
    expect(
      vmOnly.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['vm_list', 'vm_get', 'vm_status', 'vm_deploy', 'vm_start', 'vm_stop', 'vm_reboot']);
  });
});

import { runBin } from 'mcp-test-kit';
import { describe, expect, it } from 'vitest';
import { CLI } from './harness.js';

function cli(args: string[], env: Record<string, string> = {}) {
  return runBin(CLI, args, { HOME: '/nonexistent', ...env });
}

const TOKEN = { CLDKCTL_TOKEN: 'cldkctl_0123456789abcdefghij' };

describe('cloudeka-mcp command line', () => {
  it('--help tells every option with its environment variable, --version the version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const env of [
      'CLDKCTL_TOKEN',
      'CLDKCTL_BASE_URL',
      'CLDKCTL_STAGING_URL',
      'CLDKCTL_ENVIRONMENT',
      'CLDKCTL_DEFAULT_PROJECT_ID',
      'CLDKCTL_TIMEOUT',
    ]) {
      expect(help.stdout).toContain(`env ${env}`);
    }
    expect(help.stdout).toMatch(/--token TOKEN\s+cldkctl token .*prefer the env/);
    expect(help.stdout).toMatch(/--environment production\|staging\|auto\s+Which API to use.*default auto/);
    expect(help.stdout).toMatch(
      /Tools: \d+ in toolsets profile, project, organization, billing, kubernetes, vm/,
    );
    expect((await cli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [[], {}, /^cloudeka-mcp: --token \(CLDKCTL_TOKEN\) is required/],
    [
      [],
      { CLDKCTL_TOKEN: 'not-a-token' },
      /^cloudeka-mcp: --token \(CLDKCTL_TOKEN\): a cldkctl token starts with cldkctl_/,
    ],
    [
      [],
      { ...TOKEN, CLDKCTL_BASE_URL: 'not a url' },
      /^cloudeka-mcp: --base-url \(CLDKCTL_BASE_URL\): must be a URL/,
    ],
    [
      [],
      { ...TOKEN, CLDKCTL_STAGING_URL: 'ftp://x' },
      /^cloudeka-mcp: --staging-url \(CLDKCTL_STAGING_URL\): must be an http/,
    ],
    [
      ['--environment', 'prod'],
      TOKEN,
      /^cloudeka-mcp: --environment \(CLDKCTL_ENVIRONMENT\): expected production, staging or auto/,
    ],
    [[], { ...TOKEN, CLDKCTL_TIMEOUT: 'soon' }, /CLDKCTL_TIMEOUT.*expected a number, got "soon"/],
    [['--frobnicate'], TOKEN, /Unknown option '--frobnicate'/],
  ])('a bad configuration %j %j exits 2 with one line', async (args, env, message) => {
    const result = await cli(args, env as Record<string, string>);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('not-a-token');
  });

  it('--list-tools follows the policy flags; superadmin is off by default', async () => {
    const names = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]);
    const all = await cli(['--list-tools'], TOKEN);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^vm_delete\s+vm\s+destructive\s+Delete a VM$/m);
    expect(all.stdout).not.toContain('superadmin_');
    const everything = await cli(['--list-tools', '--toolsets', 'all'], TOKEN);
    expect(everything.stdout).toMatch(/^superadmin_project_list\s+superadmin\s+read/m);
    const readOnly = await cli(['--list-tools', '--read-only'], TOKEN);
    expect(readOnly.stdout).not.toMatch(/\s(write|destructive)\s/);
    expect(names(readOnly.stdout)).toEqual(expect.arrayContaining(['status', 'vm_list']));
    expect(names(readOnly.stdout)).not.toContain('switch_environment');
    const vm = await cli(['--list-tools', '--toolsets', 'vm', '--disable-destructive'], TOKEN);
    expect(names(vm.stdout)).toEqual([
      'vm_list',
      'vm_get',
      'vm_create',
      'vm_yaml_create',
      'vm_yaml_update',
      'vm_turn_on',
      'vm_turn_off',
      'vm_reboot',
      'vm_image_list',
      'vm_flavor_type_list',
      'vm_flavor_list',
      'vm_gpu_list',
      'vm_storage_class_list',
    ]);
  });

  it('starts without touching the network (a token and nothing else)', async () => {
    // --list-tools builds everything but serves nothing; the server itself starts offline as well (e2e tests).
    const result = await cli(['--list-tools', '--toolsets', 'profile'], {
      ...TOKEN,
      CLDKCTL_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^auth\s+profile\s+read\s+Authenticate now$/);
  });
});

import { describe, expect, it } from 'vitest';
import type { CliTool } from '../src/runner/index.js';
import { check, expectRefused, TRUSTING } from './runner-policy-helpers.js';

/** Log levels and debug switches that print request and response bodies, in every spelling. */
const hostile: Array<[CliTool, string, string]> = [
  ['kubectl', 'get secret db -v=6', '-v'],
  ['kubectl', 'get secret db -v=9', '-v'],
  ['kubectl', 'get secret db -v9', '-v'],
  ['kubectl', 'get secret db -v 8', '-v'],
  ['kubectl', 'get secret db --v 8', '--v'],
  ['kubectl', 'get secret db --v=06', '--v'],
  ['kubectl', 'get secret db --v=10', '--v'],
  ['kubectl', 'get secret db --v=0x9', '--v'],
  ['kubectl', 'get secret db -v=9 -o yaml', '-v'],
  ['kubectl', '-v=9 get secret db', '-v'],
  ['kubectl', '-v 7 get secret db', '-v'],
  ['kubectl', 'get secret db -Av9', '-Av9'],
  ['kubectl', 'get secret db --vmodule=*=9', '--vmodule'],
  ['kubectl', "get secret db --vmodule '*=8'", '--vmodule'],
  ['helm', 'status web --debug', '--debug'],
  ['helm', '--debug install web oci://r.example.com/web --dry-run=client', '--debug'],
  ['istioctl', 'ps --vklog=9', '--vklog'],
  ['istioctl', '--vklog 6 analyze', '--vklog'],
  ['istioctl', 'ps --log_output_level=default:debug', '--log_output_level'],
  ['istioctl', 'ps --log_output_level klog:info,default:debug', '--log_output_level'],
  ['argocd', 'app get guestbook --loglevel debug', '--loglevel'],
  ['argocd', '--loglevel=DEBUG app list', '--loglevel'],
  ['argocd', 'app list --loglevel=trace', '--loglevel'],
];

describe('verbose logs', () => {
  it.each(hostile)('%s %s: refused, naming the option', (tool, command, shown) => {
    const error = expectRefused(tool, command, 'verbose', TRUSTING);
    expect(error.refused.startsWith(shown)).toBe(true);
    expect(error.message).toContain(shown);
  });

  it.each([
    ['kubectl', 'get pods -v=5'],
    ['kubectl', 'get pods -v 0'],
    ['kubectl', 'get pods --v=3'],
    ['istioctl', 'ps --vklog=4'],
    ['istioctl', 'ps --log_output_level=default:info,klog:warn'],
    ['argocd', 'app list --loglevel info'],
    ['argocd', 'app list --loglevel=WARN'],
  ] as const)('%s %s: quieter levels pass', (tool, command) => {
    expect(() => check(tool, command)).not.toThrow();
  });

  it('says which levels are allowed', () => {
    expect(expectRefused('kubectl', 'get pods -v=6', 'verbose').details.next).toMatch(/0 to 5/);
    expect(expectRefused('helm', 'list --debug', 'verbose').message).toMatch(/VALUES/);
  });
});

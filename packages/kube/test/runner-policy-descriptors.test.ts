import { describe, expect, it } from 'vitest';
import type { CliTool } from '../src/runner/index.js';
import { check, expectRefused, TRUSTING } from './runner-policy-helpers.js';

// The kubeconfig is the CLI's fd 3 (/dev/fd/3), and the server holds every running call's open: paths
// through a descriptor directory are refused even when local files are allowed.

describe("paths naming a process's open files", () => {
  const spellings: Array<[CliTool, string, string]> = [
    ['kubectl', 'apply -f /dev/fd/3', '-f /dev/fd/3'],
    ['kubectl', 'apply -f=/dev/fd/3', '-f /dev/fd/3'],
    ['kubectl', 'apply -f/dev/fd/3', '-f /dev/fd/3'],
    ['kubectl', 'apply --filename=/dev/fd/3', '--filename /dev/fd/3'],
    ['kubectl', 'apply --filename /proc/self/fd/3', '--filename /proc/self/fd/3'],
    ['kubectl', 'apply -f /proc/thread-self/fd/3', '-f /proc/thread-self/fd/3'],
    ['kubectl', 'apply -f /proc/self/task/1/fd/3', '-f /proc/self/task/1/fd/3'],
    ['kubectl', 'apply -f /proc/4242/fd/7', '-f /proc/4242/fd/7'],
    ['kubectl', 'apply -f /dev/stdin', '-f /dev/stdin'],
    ['kubectl', 'apply -f /dev/stderr', '-f /dev/stderr'],
    ['kubectl', 'apply -f //dev//fd/3', '-f //dev//fd/3'],
    ['kubectl', 'apply -f /dev/./fd/3', '-f /dev/./fd/3'],
    ['kubectl', 'apply -f /dev/fd/../fd/3', '-f /dev/fd/../fd/3'],
    ['kubectl', 'apply -f /dev/fd/../../4242/fd/7', '-f /dev/fd/../../4242/fd/7'],
    ['kubectl', 'apply -f /proc/self/root/dev/fd/3', '-f /proc/self/root/dev/fd/3'],
    ['kubectl', 'apply -f ../../../../../dev/fd/3', '-f ../../../../../dev/fd/3'],
    ['kubectl', 'apply -f /dev/fd', '-f /dev/fd'],
    ['kubectl', 'apply -f /dev/fd/', '-f /dev/fd/'],
    ['kubectl', 'apply -f ./ok.yaml,/dev/fd/3', '-f /dev/fd/3'],
    ['kubectl', 'get -Rf /dev/fd', '-f /dev/fd'],
    ['kubectl', 'create configmap x --from-file=/dev/fd/3', '--from-file /dev/fd/3'],
    ['kubectl', 'create configmap x --from-file=kc=/dev/fd/3', '--from-file kc=/dev/fd/3'],
    ['kubectl', 'create secret generic x --from-file=a,kc=/proc/self/fd/3', '--from-file kc=/proc/self/fd/3'],
    ['kubectl', 'create configmap x --from-env-file=/dev/stdin', '--from-env-file /dev/stdin'],
    ['kubectl', 'get pods -o jsonpath-file=/dev/fd/3', '-o jsonpath-file=/dev/fd/3'],
    ['kubectl', 'get pods -o go-template-file --template=/proc/self/fd/3', '--template /proc/self/fd/3'],
    ['helm', 'template x ./chart --set-file k=/dev/fd/3', '--set-file k=/dev/fd/3'],
    [
      'helm',
      'template x ./chart --set-file a=v.txt,k=/proc/self/fd/3',
      '--set-file a=v.txt,k=/proc/self/fd/3',
    ],
    ['helm', 'template x ./chart -f /dev/stdin', '-f /dev/stdin'],
    ['helm', 'template x ./chart --values=v.yaml,/dev/fd/3', '--values /dev/fd/3'],
    ['helm', 'template x /dev/fd/3', '/dev/fd/3'],
    ['istioctl', 'verify-install -f /dev/fd/3', '-f /dev/fd/3'],
    ['argocd', 'app create -f /proc/self/fd/3', '-f /proc/self/fd/3'],
  ];

  it.each(spellings)('%s %s: refused even with local files allowed', (tool, command, shown) => {
    const error = expectRefused(tool, command, 'local-file', TRUSTING);
    expect(error.refused).toBe(shown);
    expect(error.message).toContain('names an open file of the');
    expect(error.details.next).toBe('Pass the content as stdin with `-` instead.');
  });

  it.each(spellings)('%s %s: refused without local files too', (tool, command) => {
    expectRefused(tool, command, 'local-file');
  });

  it.each([
    ['kubectl', 'apply -f -'],
    ['kubectl', 'apply -f fd'],
    ['kubectl', 'apply -f ./fd.yaml'],
    ['kubectl', 'apply -f /srv/manifests/stdin.yaml'],
    ['kubectl', 'create configmap x --from-file=fd=./a.txt'],
    ['kubectl', 'get pods -o jsonpath-file=/srv/t.txt'],
    ['helm', 'install fd ./chart'],
    ['helm', 'install stdin ./chart --set-file fd=./v.txt'],
  ] as const)('%s %s: other paths stay allowed with local files (control)', (tool, command) => {
    expect(() => check(tool, command, TRUSTING)).not.toThrow();
  });
});

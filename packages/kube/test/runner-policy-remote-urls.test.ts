import { describe, expect, it } from 'vitest';
import type { CheckOptions, CliTool } from '../src/runner/index.js';
import { check, expectRefused } from './runner-policy-helpers.js';

const ALLOWED: CheckOptions = { allowedUrls: ['https://charts.example.com/ok/', 'oci://r.example.com/team'] };

describe('URLs the tools fetch', () => {
  it.each([
    ['kubectl', 'apply -f https://charts.example.com/ok/cm.yaml'],
    ['kubectl', 'apply -f HTTPS://CHARTS.example.com/ok/cm.yaml'.replace('HTTPS', 'https')],
    ['kubectl', 'apply -f https://charts.example.com:443/ok/sub/cm.yaml'],
    ['kubectl', 'apply -f https://charts.example.com/ok/./cm.yaml'],
    ['helm', 'install x greeting --repo https://charts.example.com/ok/'],
    ['helm', 'install x oci://r.example.com/team/web --version 1.0.0'],
    ['helm', 'install x oci://r.example.com/team'],
    ['helm', 'show values https://charts.example.com/ok/web-1.0.0.tgz'],
    ['helm', 'repo add ok https://charts.example.com/ok/'],
    [
      'helm',
      'install x greeting --repo https://charts.example.com/ok/ -f https://charts.example.com/ok/v.yaml',
    ],
  ] as const)('%s %s: under an allowed prefix', (tool, command) => {
    expect(() => check(tool, command, ALLOWED)).not.toThrow();
  });

  const hostile: Array<[CliTool, string, string]> = [
    ['kubectl', 'apply -f https://charts.example.com/other/cm.yaml', 'another path'],
    ['kubectl', 'apply -f https://charts.example.com/okx/cm.yaml', 'a path that only starts like the prefix'],
    ['kubectl', 'apply -f https://charts.example.com/ok/../other/cm.yaml', 'dot segments'],
    ['kubectl', 'apply -f https://charts.example.com/ok/%2e%2e/other/cm.yaml', 'encoded dot segments'],
    ['kubectl', 'apply -f https://charts.example.com/ok%2f..%2fother', 'an encoded slash'],
    ['kubectl', 'apply -f https://charts.example.com:8443/ok/cm.yaml', 'another port'],
    ['kubectl', 'apply -f http://charts.example.com/ok/cm.yaml', 'another scheme'],
    ['kubectl', 'apply -f https://evil.example.com/ok/cm.yaml', 'another host'],
    ['kubectl', 'apply -f https://charts.example.com.evil.com/ok/cm.yaml', 'a host that starts like it'],
    ['kubectl', 'apply -f https://charts.example.com@evil.com/ok/cm.yaml', 'userinfo'],
    ['kubectl', 'apply -f https://u:p@charts.example.com/ok/cm.yaml', 'userinfo on the allowed host'],
    ['kubectl', 'apply -f https://evil.com/x.yaml?https://charts.example.com/ok/', 'the prefix in a query'],
    ['kubectl', 'apply --filename=https://evil.com/x.yaml', 'the long spelling'],
    ['kubectl', '-f https://evil.com/x.yaml apply', 'before the command'],
    ['kubectl', 'apply -f HTTPS://charts.example.com/ok/cm.yaml', 'an upper-case scheme'],
    ['kubectl', 'apply -f https://charts.example.com\\@evil.com/ok/', 'a backslash'],
    ['helm', 'install x chart --repo https://evil.com/', '--repo'],
    ['helm', 'install x chart --repo=https://evil.com/', '--repo='],
    ['helm', 'install x https://evil.com/chart.tgz', 'a chart URL'],
    ['helm', 'template x oci://127.0.0.1:5000/charts/x', 'an oci chart'],
    ['helm', 'template x OCI://r.example.com/team/x', 'an oci chart in upper case'],
    [
      'helm',
      'install x greeting --repo https://charts.example.com/ok/ --values https://evil.com/v.yaml',
      'values',
    ],
    ['helm', 'pull https://evil.com/chart.tgz', 'pull'],
    ['helm', 'repo add r https://evil.com/', 'repo add'],
    ['helm', 'search hub nginx', 'Artifact Hub'],
    ['helm', 'search hub nginx --endpoint https://evil.com', '--endpoint'],
    ['argocd', 'app create x -f https://evil.com/app.yaml', 'argocd -f'],
  ];
  it.each(hostile)('%s %s: refused (%s)', (tool, command) => {
    const error = expectRefused(tool, command, 'url', ALLOWED);
    expect(error.details.next).toMatch(/allowed prefixes|plainly/);
  });

  it('names the URL and the prefixes', () => {
    const error = expectRefused('helm', 'install x chart --repo https://evil.com/', 'url', ALLOWED);
    expect(error.refused).toBe('--repo https://evil.com/');
    expect(error.message).toContain('https://evil.com/');
    expect(error.details.next).toContain('https://charts.example.com/ok/');
  });

  it('no URL at all with an empty list', () => {
    const error = expectRefused('kubectl', 'apply -f https://charts.example.com/ok/cm.yaml', 'url', {
      allowedUrls: [],
    });
    expect(error.message).toMatch(/fetches no URLs/);
    expect(check('kubectl', 'apply -f -', { allowedUrls: [] }).verb).toBe('apply');
  });

  it('any plain URL when no list is given (stdio: the user’s own machine)', () => {
    expect(check('kubectl', 'apply -f https://u:p@anything.example.com/x.yaml').verb).toBe('apply');
    expect(check('helm', 'install x oci://127.0.0.1:5000/charts/x').verb).toBe('install');
    // but never a spelling the tool would read as a path
    expectRefused('kubectl', 'apply -f HTTPS://x.example.com/x.yaml', 'url');
    expectRefused('helm', 'install x c --repo ftp://x.example.com/', 'url');
  });

  it('kustomize fetches remote bases itself, so it is refused while URLs are restricted', () => {
    const options = { ...ALLOWED, allowLocalFiles: true };
    expect(expectRefused('kubectl', 'apply -k /srv/overlay', 'url', options).message).toMatch(/remote bases/);
    expectRefused('kubectl', 'kustomize /srv/overlay', 'url', options);
    expect(check('kubectl', 'apply -k /srv/overlay', { allowLocalFiles: true }).verb).toBe('apply');
  });
});

import { describe, expect, it } from 'vitest';
import type { CliTool } from '../src/runner/index.js';
import { check, expectRefused, refusal, TRUSTING } from './runner-policy-helpers.js';

/** Options that read the server's disk, in every spelling and position, each naming what it refuses. */
const hostile: Array<[CliTool, string, RegExp]> = [
  ['kubectl', 'get pods -o go-template-file=/etc/shadow', /go-template-file/],
  ['kubectl', 'get pods -o=go-template-file=/etc/shadow', /go-template-file/],
  ['kubectl', 'get pods -ogo-template-file=/etc/shadow', /go-template-file/],
  ['kubectl', 'get pods --output go-template-file=/etc/shadow', /go-template-file/],
  ['kubectl', 'get pods --output=go-template-file=/etc/shadow', /go-template-file/],
  ['kubectl', '-o go-template-file=/etc/shadow get pods', /go-template-file/],
  ['kubectl', 'get pods -o templatefile=/etc/shadow', /templatefile/],
  ['kubectl', 'get pods -o GO-TEMPLATE-FILE=/etc/shadow', /GO-TEMPLATE-FILE/],
  ['kubectl', 'get pods -o jsonpath-file=/proc/1/cmdline', /jsonpath-file/],
  ['kubectl', 'get pods -o custom-columns-file=/etc/shadow', /custom-columns-file/],
  ['kubectl', 'get pods --template /etc/shadow -o go-template-file', /go-template-file/],
  ['kubectl', 'get pods -o go-template-file --template=/etc/shadow', /go-template-file/],
  ['kubectl', 'get pods -o jsonpath-file --template /etc/shadow', /jsonpath-file/],
  ['kubectl', 'apply -k ./overlay --dry-run=server', /-k \.\/overlay/],
  ['kubectl', 'apply --kustomize=/srv/overlay', /--kustomize/],
  ['kubectl', 'apply -f /etc/shadow --dry-run=server', /-f \/etc\/shadow/],
  ['kubectl', 'apply -f/etc/shadow', /-f \/etc\/shadow/],
  ['kubectl', 'apply --filename /etc/shadow', /--filename/],
  ['kubectl', 'create configmap x --from-file=/proc/self/environ', /--from-file/],
  ['kubectl', 'create configmap x --from-file k=/etc/shadow', /--from-file/],
  ['kubectl', 'create secret generic x --from-env-file=/root/.env', /--from-env-file/],
  ['kubectl', 'create secret tls t --cert /etc/ssl/c.pem --key /etc/ssl/k.pem', /--cert/],
  ['kubectl', 'patch deploy web --patch-file /etc/shadow', /--patch-file/],
  ['kubectl', 'cluster-info dump --output-directory=/tmp/dump', /--output-directory/],
  ['kubectl', 'get pods --cache-dir /tmp/c', /--cache-dir/],
  ['kubectl', 'get pods --profile-output=/tmp/p', /--profile-output/],
  ['kubectl', 'kustomize /srv/overlay', /kubectl kustomize/],
  ['helm', 'install x greeting --repo https://charts.example.com --values /etc/shadow', /--values/],
  ['helm', 'install x greeting --repo https://charts.example.com -f/etc/shadow', /-f \/etc\/shadow/],
  ['helm', 'install x greeting --repo https://charts.example.com --set-file k=/etc/shadow', /--set-file/],
  [
    'helm',
    'upgrade --install x greeting --repo https://c.example.com --set-file=k=/etc/shadow',
    /--set-file/,
  ],
  ['helm', 'install x greeting --repo https://c.example.com --keyring /root/.gnupg/pubring.gpg', /--keyring/],
  ['helm', 'pull oci://r.example.com/web --untar --untardir /tmp/x', /--untardir/],
  ['helm', 'pull oci://r.example.com/web -d /tmp/x', /-d \/tmp\/x/],
  ['helm', 'template web oci://r.example.com/web --output-dir /tmp/out', /--output-dir/],
  ['helm', 'list --content-cache /tmp/c', /--content-cache/],
  ['helm', 'template x /srv/charts/web', /\/srv\/charts\/web/],
  ['helm', 'install x ./chart', /\.\/chart/],
  ['helm', 'install x https://../../../../etc/chart', /\.\./],
  ['helm', 'show values web-1.2.3.tgz', /tgz/],
  ['helm', 'lint /srv/chart', /helm lint/],
  ['helm', 'dependency update /srv/chart', /helm dependency update/],
  ['istioctl', 'analyze /etc/mesh.yaml', /mesh\.yaml/],
  ['istioctl', 'install -f /etc/iop.yaml', /-f \/etc\/iop\.yaml/],
  ['istioctl', 'x precheck -f /etc/iop.yaml', /-f/],
  ['istioctl', 'kube-inject --meshConfigFile /etc/mesh', /--meshConfigFile/],
  ['istioctl', 'pc cluster web-1 --file /tmp/dump.json', /--file/],
  ['argocd', 'app create x -f /etc/app.yaml', /-f \/etc\/app\.yaml/],
  ['argocd', 'app create x --file=/etc/app.yaml', /--file/],
  ['argocd', 'app diff x --local /srv/manifests', /--local/],
  ['argocd', 'app sync x --local-repo-root=/srv', /--local-repo-root/],
];

describe("files on the server's disk", () => {
  it.each(hostile)('%s %s: refused, naming the option', (tool, command, names) => {
    const error = expectRefused(tool, command, 'local-file');
    expect(`${error.refused} ${error.message}`).toMatch(names);
    expect(error.details.next).toMatch(/local-files option/);
  });

  it.each(hostile.filter(([, command]) => !command.includes('https://..')))(
    '%s %s: allowed with local files (the operator opted in)',
    (tool, command) => {
      expect(() => check(tool, command, TRUSTING)).not.toThrow();
    },
  );

  it('reads stdin, never a file, for `-`', () => {
    expect(check('kubectl', 'apply -f -').verb).toBe('apply');
    expect(check('kubectl', 'create -f - --dry-run=client -o yaml').verb).toBe('create');
    expect(check('istioctl', 'kube-inject -f -').verb).toBe('kube-inject');
    // but `--from-file=-` is a file named `-` to kubectl, not stdin
    expectRefused('kubectl', 'create configmap x --from-file=-', 'local-file');
  });

  it('an upper-case scheme is a local path to kubectl, so it is not taken for a URL', () => {
    const error = expectRefused('kubectl', 'apply -f HTTPS://../../../../etc/shadow', 'url', TRUSTING);
    expect(error.message).toMatch(/plain lower-case URL/);
  });

  it('inline templates and the formats the runner reads stay allowed', () => {
    for (const command of [
      'get pods -o go-template={{.kind}}',
      'get pods -o jsonpath={.items[*].metadata.name}',
      'get pods -o custom-columns=NAME:.metadata.name',
      'get pods --template={{.kind}} -o go-template',
      'get pods -o yaml',
    ]) {
      expect(() => check('kubectl', command), command).not.toThrow();
    }
    expectRefused('kubectl', 'get pods -o frobnicate', 'option');
  });

  it('kustomize never runs programs or containers, even with local files', () => {
    for (const option of [
      '--enable-helm',
      '--helm-command=/bin/sh',
      '--enable-alpha-plugins',
      '--mount type=bind,src=/,dst=/x',
      '--network',
      '-e X=1',
    ]) {
      const error = refusal('kubectl', `kustomize /srv/overlay ${option}`, TRUSTING);
      expect(error.kind, option).toBe('flag');
      expect(error.message).toMatch(/programs or containers/);
    }
    expect(check('kubectl', 'kustomize /srv/overlay', TRUSTING).verb).toBe('kustomize');
  });
});

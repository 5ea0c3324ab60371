import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  Arena,
  HELM_MISSING,
  KUBECTL_MISSING,
  type StdioSession,
  sizeOf,
  snapshot,
  writePrivate,
} from './harness.js';

// Class 2: options that make a CLI read (or write) files of the server's disk. Refused unless the server
// runs with --cli-local-files; the canary's content never comes back, and nothing is written.

let arena: Arena;
let server: StdioSession;
let fakes: StdioSession;
let istioMarker: string;
let argocdMarker: string;
beforeAll(async () => {
  arena = await Arena.open();
  server = await arena.stdio();
  istioMarker = arena.marker('istioctl');
  argocdMarker = arena.marker('argocd');
  fakes = await arena.stdio([
    '--istioctl-path',
    arena.fakeCli('istioctl', istioMarker),
    '--argocd-path',
    arena.fakeCli('argocd', argocdMarker),
  ]);
});
afterEach(() => arena.expectNothingLeaked());
afterAll(() => arena?.close());

type Case = [command: string, names: RegExp];
const c = () => arena.canary;

describe.skipIf(!!KUBECTL_MISSING)(
  `local files${KUBECTL_MISSING ? ` (kubectl skipped: ${KUBECTL_MISSING})` : ''}`,
  () => {
    /** Commands whose paths are filled in at run time: CANARY (manifest), TPL, ENV, DIR, PID. */
    const kubectl: Case[] = [
      ['get pods -o go-template-file=TPL', /go-template-file/],
      ['get pods -o=go-template-file=TPL', /go-template-file/],
      ['get pods --output go-template-file=TPL', /go-template-file/],
      ['get pods --output=go-template-file=TPL', /go-template-file/],
      ['get pods -ogo-template-file=TPL', /go-template-file/],
      ['get pods -o jsonpath-file=TPL', /jsonpath-file/],
      ['get pods -o custom-columns-file=TPL', /custom-columns-file/],
      ['get pods --template TPL -o go-template-file', /template/],
      ['get pods --template=TPL -o go-template-file', /template/],
      ['get pods -o go-template-file --template TPL', /template/],
      ['apply -k DIR --dry-run=server', /-k|kustomize/],
      ['apply --kustomize DIR --dry-run=server', /kustomize/],
      ['apply --kustomize=DIR --dry-run=server', /kustomize/],
      ['kustomize DIR', /kustomize/],
      ['apply -f CANARY --dry-run=server', /-f|filename/],
      ['apply -fCANARY --dry-run=server', /-f|filename/],
      ['apply --filename=CANARY --dry-run=server', /filename/],
      ['apply --filename CANARY --dry-run=server', /filename/],
      ['create -f CANARY --dry-run=client -o yaml', /-f|filename/],
      ['apply -f DIR --dry-run=server', /-f|filename/],
      ['diff -f CANARY', /-f|filename/],
      ['create configmap x --from-file=CANARY --dry-run=client -o yaml', /from-file/],
      ['create configmap x --from-file CANARY --dry-run=client -o yaml', /from-file/],
      ['create configmap x --from-file=key=CANARY --dry-run=client -o yaml', /from-file/],
      ['create configmap x --from-file=DIR --dry-run=client -o yaml', /from-file/],
      ['create secret generic x --from-file=CANARY --dry-run=client -o yaml', /from-file/],
      ['create configmap x --from-env-file=ENV --dry-run=client -o yaml', /from-env-file/],
      ['create secret generic x --from-env-file ENV --dry-run=client -o yaml', /from-env-file/],
      ['create configmap x --from-file=/proc/self/environ --dry-run=client -o yaml', /from-file|proc/],
      ['create configmap x --from-file=/proc/PID/environ --dry-run=client -o yaml', /from-file|proc/],
      ['create configmap x --from-file=/proc/PID/cmdline --dry-run=client -o yaml', /from-file|proc/],
      ['apply -f /proc/PID/environ --dry-run=server', /-f|proc/],
      ['get pods --certificate-authority=CANARY', /certificate-authority/],
      ['get pods --client-key CANARY --client-certificate CANARY', /client-(key|certificate)/],
    ];

    function fill(command: string): string {
      return command
        .replaceAll('CANARY', c().manifest)
        .replaceAll('TPL', c().template)
        .replaceAll('ENV', c().envFile)
        .replaceAll('DIR', c().dir)
        .replaceAll('PID', String(server.pid));
    }

    it.each(kubectl)('kubectl %s: refused, nothing read or changed', async (command, names) => {
      const before = snapshot(arena.sim);
      const result = await server.call('kubectl', { command: fill(command) });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(names);
      expect(result.text).not.toContain(c().token);
      expect(result.text).not.toContain(arena.envCanary);
      expect(snapshot(arena.sim)).toEqual(before);
    });

    it.each(['--log-file=MARK', '--log-dir=MARKDIR', '--cache-dir=MARKDIR'])(
      'kubectl get pods %s: refused, nothing written',
      async (option) => {
        const marker = arena.marker('log');
        const result = await server.call('kubectl', {
          command: `get pods ${option.replace('MARKDIR', join(marker, 'd')).replace('MARK', marker)}`,
        });
        expect(existsSync(marker)).toBe(false);
        expect(result.isError).toBe(true);
        expect(result.text).toMatch(/log-file|log-dir|cache-dir/);
      },
    );

    it('with --cli-local-files the operator may read files (control, on a file that is not the canary)', async () => {
      const trusting = await arena.stdio(['--cli-local-files']);
      const own = writePrivate(join(arena.dir, 'operator.env'), 'GREETING=operator-value\n');
      const result = await trusting.call('kubectl', {
        command: `create configmap x --from-env-file=${own} --dry-run=client -o yaml`,
      });
      expect(result.isError).toBe(false);
      expect(result.text).toMatch(/^kind: ConfigMap$/m);
      expect(result.text).toContain('operator-value');
    });
  },
);

describe.skipIf(!!HELM_MISSING)(
  `local files: helm${HELM_MISSING ? ` (skipped: ${HELM_MISSING})` : ''}`,
  () => {
    const helm: Case[] = [
      ['install x greeting --repo https://charts.example.com --values VALUES --dry-run=server', /values/],
      ['install x greeting --repo https://charts.example.com --values=VALUES --dry-run=server', /values/],
      ['install x greeting --repo https://charts.example.com -f VALUES --dry-run=server', /-f|values/],
      ['install x greeting --repo https://charts.example.com -fVALUES --dry-run=server', /-f|values/],
      [
        'install x greeting --repo https://charts.example.com --set-file k=VALUES --dry-run=server',
        /set-file/,
      ],
      ['upgrade --install x greeting --repo https://charts.example.com --set-file=k=VALUES', /set-file/],
      ['template DIR', /chart|disk|DIR/],
      ['template x DIR', /chart|disk/],
      ['install x DIR --dry-run=server', /chart|disk/],
      ['show values DIR', /chart|disk/],
      ['lint DIR', /lint|chart|disk/],
      ['package DIR', /package|chart|disk/],
      ['dependency update DIR', /dependency|chart|disk/],
      [
        'template x greeting --repo https://charts.example.com --repository-config VALUES',
        /repository-config/,
      ],
      ['template x greeting --repo https://charts.example.com --registry-config=VALUES', /registry-config/],
      ['template x greeting --repo https://charts.example.com --ca-file VALUES', /ca-file/],
      [
        'template x greeting --repo https://charts.example.com --cert-file VALUES --key-file VALUES',
        /cert-file|key-file/,
      ],
      ['list --kube-ca-file VALUES', /kube-ca-file/],
    ];

    it.each(helm)('helm %s: refused, nothing read or changed', async (command, names) => {
      const before = snapshot(arena.sim);
      const result = await server.call('helm', {
        command: command.replaceAll('VALUES', c().values).replaceAll('DIR', c().dir),
      });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(names);
      expect(result.text).not.toContain(c().token);
      expect(snapshot(arena.sim)).toEqual(before);
    });

    it.each([
      ['--post-renderer /bin/sh --post-renderer-args -c --post-renderer-args MARKCMD'],
      ['--post-renderer=/bin/sh --post-renderer-args=-c --post-renderer-args=MARKCMD'],
    ])('helm template %s: a post-renderer never runs', async (options) => {
      const marker = arena.marker('post-renderer');
      const result = await server.call('helm', {
        command: `template x greeting --repo https://charts.example.com ${options.replace('MARKCMD', `'touch ${marker}'`)}`,
      });
      expect(existsSync(marker)).toBe(false);
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/post-renderer/);
    });
  },
);

describe('local files: istioctl and argocd (stand-ins that mark when they run)', () => {
  it.each([
    ['istioctl', 'analyze CANARY'],
    ['istioctl', 'install -f CANARY'],
    ['istioctl', 'manifest generate --filename=CANARY'],
    ['istioctl', 'x precheck -f CANARY'],
    ['istioctl', 'analyze DIR --recursive'],
    ['argocd', 'app create x -f CANARY'],
    ['argocd', 'app create x --file=CANARY'],
    ['argocd', 'app diff x --local DIR'],
    ['argocd', 'app set x --values VALUES'],
    ['argocd', 'proj create -f CANARY'],
    ['argocd', 'app list --config CANARY'],
  ])('%s %s: refused before the binary runs', async (tool, command) => {
    const marker = tool === 'istioctl' ? istioMarker : argocdMarker;
    const ran = sizeOf(marker);
    const result = await fakes.call(tool, {
      command: command
        .replaceAll('CANARY', c().manifest)
        .replaceAll('VALUES', c().values)
        .replaceAll('DIR', c().dir),
    });
    expect(sizeOf(marker), `${tool} ran`).toBe(ran);
    expect(result.isError).toBe(true);
    expect(result.text).not.toContain(c().token);
  });
});

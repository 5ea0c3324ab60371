import { describe, expect, it } from 'vitest';
import helmData from '../src/runner/flags/helm.json' with { type: 'json' };
import kubectlData from '../src/runner/flags/kubectl.json' with { type: 'json' };
import type { CliTool } from '../src/runner/index.js';
import { POLICIES, type VerbRule } from '../src/runner/tables/index.js';
import { check, expectRefused, TRUSTING } from './runner-policy-helpers.js';

/** Every command a table allows, by own names, with the names it may be written as. */
function allowed(tool: CliTool): Array<{ own: string; written: string[] }> {
  const out: Array<{ own: string; written: string[] }> = [];
  const visit = (table: Readonly<Record<string, VerbRule>>, prefix: string[]): void => {
    const seen = new Set<VerbRule>();
    for (const [word, rule] of Object.entries(table)) {
      if (seen.has(rule) || rule.access === 'refused') continue;
      seen.add(rule);
      const own = [...prefix, rule.name ?? word];
      const written = Object.keys(table).filter((w) => table[w] === rule);
      out.push({ own: own.join(' '), written });
      if (rule.sub) visit(rule.sub, own);
    }
  };
  visit(POLICIES[tool].verbs, []);
  return out;
}

describe('the allowlist data', () => {
  it.each([
    ['kubectl', kubectlData],
    ['helm', helmData],
  ] as const)('%s: every allowed command and alias exists in the binary it was read from', (tool, data) => {
    const commands = data.commands as Record<string, { aliases?: string[] }>;
    for (const { own, written } of allowed(tool)) {
      expect(commands[own], `${tool} ${own}`).toBeDefined();
      const last = own.split(' ').at(-1)!;
      for (const word of written) {
        expect([last, ...(commands[own]?.aliases ?? [])], `${tool} ${own} as ${word}`).toContain(word);
      }
    }
  });

  it.each(['istioctl', 'argocd'] as const)(
    '%s: every allowed command has a hand-written option table',
    (tool) => {
      for (const { own } of allowed(tool)) {
        const rule = own.split(' ');
        if (POLICIES[tool].options(own) === undefined) {
          // groups run only through their subcommands
          expect(
            allowed(tool).some((c) => c.own.startsWith(`${own} `)),
            `${tool} ${rule.join(' ')}`,
          ).toBe(true);
        }
      }
    },
  );

  /** Options whose help mentions a file, path or URL and that were reviewed as neither. */
  const REVIEWED: Record<string, readonly string[]> = {
    kubectl: ['tail', 'non-resource-url', 'rule', 'patch', 'load-restrictor', 'helm-command'],
    helm: ['timeout', 'url'],
  };

  it.each([
    ['kubectl', kubectlData],
    ['helm', helmData],
  ] as const)('%s: every option that may name a file or URL is classified', (tool, data) => {
    const policy = POLICIES[tool];
    const classified = new Set([
      ...Object.keys(policy.refused),
      ...policy.paths,
      ...policy.pathsOrUrls,
      ...policy.urls,
      ...Object.keys(policy.values),
      ...REVIEWED[tool]!,
    ]);
    const commands = data.commands as Record<
      string,
      { flags: Record<string, { value: string; mentions?: string }> }
    >;
    const missing: string[] = [];
    for (const own of ['', ...allowed(tool).map((c) => c.own)]) {
      for (const [name, flag] of Object.entries(commands[own]?.flags ?? {})) {
        if (flag.mentions && flag.value !== 'none' && !classified.has(name)) missing.push(`${own} --${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('options not on the allowlist', () => {
  const hostile: Array<[CliTool, string, string, string]> = [
    ['kubectl', 'get pods --frobnicate', '--frobnicate', 'kubectl get'],
    ['kubectl', 'get pods --frobnicate=1', '--frobnicate', 'kubectl get'],
    ['kubectl', 'get pods --frobnicate x', '--frobnicate', 'kubectl get'],
    ['kubectl', '--frobnicate=1 get pods', '--frobnicate', 'kubectl get'],
    ['kubectl', 'get pods -Z', '-Z', 'kubectl get'],
    ['kubectl', 'get pods -AZ', '-Z', 'kubectl get'],
    ['kubectl', 'get pods -Z=1', '-Z', 'kubectl get'],
    // options of other commands
    ['kubectl', 'get pods --follow', '--follow', 'kubectl get'],
    ['kubectl', 'logs web-1 --dry-run=server', '--dry-run', 'kubectl logs'],
    ['kubectl', 'get pods -c sidecar', '-c', 'kubectl get'],
    ['kubectl', 'get pods --log-file=/tmp/x', '--log-file', 'kubectl get'],
    ['kubectl', 'get pods --log-dir /tmp/x', '--log-dir', 'kubectl get'],
    ['kubectl', 'certificate approve csr-1 --dry-run=server', '--dry-run', 'kubectl certificate approve'],
    ['kubectl', 'top pods --raw /x', '--raw', 'kubectl top pods'],
    // pflag's bad syntax
    ['kubectl', 'get pods ---x', '---x', 'kubectl get'],
    ['kubectl', 'get pods --=x', '--', 'kubectl get'],
    ['helm', 'list --frobnicate', '--frobnicate', 'helm list'],
    ['helm', 'list --all_namespaces', '--all_namespaces', 'helm list'],
    ['helm', 'status web --set a=b', '--set', 'helm status'],
    ['istioctl', 'ps --frobnicate', '--frobnicate', 'istioctl ps'],
    ['istioctl', 'proxy-config cluster web-1 --level debug', '--level', 'istioctl proxy-config cluster'],
    ['istioctl', 'analyze --log_target /tmp/x', '--log_target', 'istioctl analyze'],
    ['argocd', 'app list --frobnicate', '--frobnicate', 'argocd app list'],
    ['argocd', 'app logs guestbook --file x', '--file', 'argocd app logs'],
    ['argocd', 'app sync guestbook --preview-changes', '--preview-changes', 'argocd app sync'],
  ];
  it.each(hostile)('%s %s: refused, naming %s and the command', (tool, command, shown, name) => {
    const error = expectRefused(tool, command, 'option', TRUSTING);
    expect(error.refused).toBe(shown);
    expect(error.message).toBe(
      `Refused \`${shown}\`: ${shown} is not an option this runner allows for \`${name}\`.`,
    );
  });

  it('says which options the command takes', () => {
    const error = expectRefused('kubectl', 'logs web-1 --dry-run=server', 'option');
    expect(error.details.next).toContain('--tail');
    expect(error.details.next).not.toContain('--dry-run');
  });

  it('an unknown option before an unknown command is named (cobra took the command as its value)', () => {
    const error = expectRefused('kubectl', '--frobnicate get pods', 'option');
    expect(error.message).toContain('for `kubectl`');
  });

  it('a command a table does not list is refused as unknown, with the commands it allows', () => {
    const error = expectRefused('istioctl', 'ztunnel-config all', 'unknown-verb');
    expect(error.details.next).toContain('proxy-status');
    expectRefused('argocd', 'gpg list', 'unknown-verb');
    // helm 4 has no `up` alias for upgrade, so neither does the runner
    expectRefused('helm', 'up web oci://r.example.com/web', 'unknown-verb');
  });
});

describe('everyday commands still pass, in every option spelling', () => {
  const everyday: Array<[CliTool, string, string]> = [
    ['kubectl', 'get pods -o wide', 'get'],
    ['kubectl', 'get pods -owide', 'get'],
    ['kubectl', 'get pods -o=wide', 'get'],
    ['kubectl', 'get pods --output wide', 'get'],
    ['kubectl', 'get pods --output=wide', 'get'],
    ['kubectl', '-o wide get pods', 'get'],
    ['kubectl', '-n team-a get pods -Aw', 'get'],
    ['kubectl', 'get pods -o jsonpath={.items[*].metadata.name}', 'get'],
    ['kubectl', "get pods -o 'jsonpath={.items[*].metadata.name}'", 'get'],
    ['kubectl', 'get pods --all_namespaces', 'get'],
    ['kubectl', 'logs x --tail=50 -f', 'logs'],
    ['kubectl', 'logs x -c app --tail 50 --since=1h --timestamps', 'logs'],
    ['kubectl', 'apply -f -', 'apply'],
    ['kubectl', 'apply -f - --server-side --dry-run=server', 'apply'],
    ['kubectl', 'rollout status deployment/web', 'rollout status'],
    ['kubectl', 'rollout status deployment/web -w --timeout=60s', 'rollout status'],
    ['kubectl', 'auth can-i delete pods', 'auth can-i'],
    ['kubectl', 'auth can-i --list -n team-a', 'auth can-i'],
    ['kubectl', 'top pods', 'top pods'],
    ['kubectl', 'top pod --containers --sort-by=cpu', 'top pod'],
    ['kubectl', 'describe deploy web', 'describe'],
    ['kubectl', 'delete pod web-1 --grace-period=0 --cascade', 'delete'],
    ['kubectl', 'create rolebinding rb --clusterrole=view --user=bob', 'create rolebinding'],
    ['kubectl', 'run t --image=busybox --restart=Never -- sh -c "echo --kubeconfig"', 'run'],
    ['kubectl', 'get -v=5 pods', 'get'],
    ['kubectl', 'explain pods.spec --recursive', 'explain'],
    ['kubectl', 'events --for pod/web-1 --types=Warning', 'events'],
    ['kubectl', 'get --raw /api/v1/namespaces', 'get'],
    ['kubectl', 'get pods --help', 'get'],
    ['helm', 'upgrade web oci://r.example.com/charts/web --version 1.2.3 --set a=b', 'upgrade'],
    ['helm', 'upgrade --install web oci://r.example.com/charts/web --wait --timeout 5m', 'upgrade'],
    ['helm', 'list -A', 'list'],
    ['helm', 'ls --all-namespaces -o json', 'ls'],
    ['helm', 'history web --max 5', 'history'],
    ['helm', 'status web -n prod', 'status'],
    ['helm', 'install web nginx --repo https://charts.example.com --set-string a=b', 'install'],
    ['helm', 'template web oci://r.example.com/web -s templates/deploy.yaml', 'template'],
    ['istioctl', 'proxy-status', 'proxy-status'],
    ['istioctl', 'pc clusters web-1 --fqdn web.default.svc.cluster.local -o json', 'pc clusters'],
    ['istioctl', 'analyze -A --vklog=2', 'analyze'],
    ['argocd', 'app list -o wide', 'app list'],
    ['argocd', 'app logs guestbook -f --tail 50', 'app logs'],
    ['argocd', 'app sync guestbook --prune --timeout 120', 'app sync'],
  ];
  it.each(everyday)('%s %s', (tool, command, verb) => {
    expect(check(tool, command, { readOnly: false }).verb).toBe(verb);
  });

  it('after `--` nothing is an option', () => {
    expect(check('kubectl', 'run t --image=busybox -- --frobnicate --kubeconfig=/x').verb).toBe('run');
  });
});

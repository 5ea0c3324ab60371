import { describe, expect, it } from 'vitest';
import {
  type CheckOptions,
  type CliRefusalKind,
  CliRefused,
  type CliTool,
  checkCommand,
  listVerbs,
  tokenize,
} from '../src/runner/index.js';

function check(tool: CliTool, command: string, options: CheckOptions = {}) {
  return checkCommand(tool, tokenize(command, tool), options);
}

function refusal(tool: CliTool, command: string, options: CheckOptions = {}): CliRefused {
  try {
    check(tool, command, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CliRefused);
    return error as CliRefused;
  }
  throw new Error(`expected \`${tool} ${command}\` to be refused`);
}

function expectRefused(tool: CliTool, command: string, kind: CliRefusalKind, options: CheckOptions = {}) {
  const error = refusal(tool, command, options);
  expect(error.kind, `${tool} ${command}: ${error.message}`).toBe(kind);
  expect(error.message).toMatch(/^Refused `/);
  expect(error.details.next, 'says what to do instead').toBeTruthy();
  return error;
}

describe('finding the command after global flags', () => {
  const cases: Array<[CliTool, string, string]> = [
    ['kubectl', 'get pods', 'get'],
    ['kubectl', '-n kube-system get pods -o wide', 'get'],
    ['kubectl', '--namespace kube-system -v 4 describe pod x', 'describe'],
    ['kubectl', '--request-timeout=5s rollout status deploy/web', 'rollout status'],
    ['kubectl', '--warnings-as-errors --match-server-version top pods -A', 'top pods'],
    ['kubectl', '-nkube-system auth can-i list pods', 'auth can-i'],
    ['kubectl', '--match-server-version config get-contexts', 'config get-contexts'],
    ['kubectl', 'create -f https://example.com/x.yaml -o yaml', 'create'],
    [
      'kubectl',
      'create --dry-run=client secret generic s --from-literal=a=b -o yaml',
      'create secret generic',
    ],
    ['kubectl', 'create --dry-run secret tls t', 'create secret tls'],
    ['kubectl', 'apply --server-side --force-conflicts -f https://example.com/x.yaml', 'apply'],
    ['kubectl', 'apply view-last-applied deploy/web', 'apply view-last-applied'],
    ['kubectl', 'create svc clusterip web --tcp=80:8080', 'create svc clusterip'],
    ['kubectl', '', ''],
    ['kubectl', '--help', ''],
    ['helm', 'list -A', 'list'],
    ['helm', '-n prod --burst-limit 50 status web', 'status'],
    ['helm', '--qps 5 get metadata web -n prod', 'get metadata'],
    ['helm', 'get --revision 2 metadata web', 'get metadata'],
    ['helm', '--namespace=prod history web', 'history'],
    ['helm', 'show chart oci://registry.example.com/charts/web', 'show chart'],
    ['istioctl', 'proxy-status', 'proxy-status'],
    ['istioctl', '-i istio-system -n default proxy-config cluster web-1.default', 'proxy-config cluster'],
    ['istioctl', '-i istio-system pc routes web-1', 'pc routes'],
    ['istioctl', 'x precheck', 'x precheck'],
    ['istioctl', '--vklog 4 analyze -n default', 'analyze'],
    ['argocd', 'app list', 'app list'],
    ['argocd', '--loglevel info app get guestbook', 'app get'],
    ['argocd', '--core cluster list', 'cluster list'],
    ['argocd', 'proj windows list default', 'proj windows list'],
  ];
  for (const [tool, command, verb] of cases) {
    it(`${tool} ${command || '(nothing)'} → ${verb || '(root)'}`, () => {
      expect(checkCommand(tool, command === '' ? [] : tokenize(command, tool)).verb).toBe(verb);
    });
  }

  it("does not take a global flag's value for the command", () => {
    // `--context get` names a context called "get": the command is exec
    expect(expectRefused('kubectl', '--context get exec web -- sh', 'verb').refused).toBe('kubectl exec');
    expect(expectRefused('kubectl', '-n get exec web', 'verb').refused).toBe('kubectl exec');
    expect(expectRefused('helm', '--kube-context list plugin install x', 'verb').refused).toBe('helm plugin');
    expect(expectRefused('argocd', '--loglevel app login cd.example.com', 'verb').refused).toBe(
      'argocd login',
    );
  });

  it('reads options before the command the way cobra does, and refuses those it does not know', () => {
    // cobra takes the word after an option it does not know as that option's value
    const error = expectRefused('kubectl', '--frobnicate get pods', 'option');
    expect(error.refused).toBe('--frobnicate');
    expect(error.message).toBe(
      'Refused `--frobnicate`: --frobnicate is not an option this runner allows for `kubectl`.',
    );
    expect(expectRefused('kubectl', '-Z get pods', 'option').refused).toBe('-Z');
    expect(expectRefused('kubectl', '--frobnicate=1 get pods', 'option').message).toContain('`kubectl get`');
    // a refused command is named whatever comes before it
    expect(expectRefused('kubectl', '--frobnicate get exec web', 'verb').refused).toBe('kubectl exec');
    // `-w` is `rollout status`'s own option, unknown to `rollout`: cobra reads `status` as its value
    expect(expectRefused('kubectl', 'rollout -w status deploy/x', 'option').message).toContain('`kubectl`');
  });

  it('refuses unknown commands, which kubectl and helm would run as plugins', () => {
    const error = expectRefused('kubectl', 'krew install foo', 'unknown-verb');
    expect(error.message).toContain('`kubectl krew`');
    expect(error.details.next).toContain('get');
    expect(expectRefused('kubectl', 'create foo bar', 'unknown-verb').message).toContain(
      '`kubectl create foo`',
    );
    expectRefused('helm', 'diff upgrade web ./chart', 'unknown-verb');
    expectRefused('istioctl', 'x frobnicate', 'unknown-verb');
    expectRefused('argocd', 'appp list', 'unknown-verb');
    expectRefused('kubectl', 'constructor', 'unknown-verb');
    expectRefused('kubectl', '__proto__', 'unknown-verb');
  });
});

describe('arguments given without tokenize', () => {
  it('refuses NUL characters and non-strings', () => {
    expect(() => checkCommand('kubectl', ['get', 'pods\0'])).toThrow(CliRefused);
    expect(() => checkCommand('kubectl', ['get', 5 as unknown as string])).toThrow(/string/);
  });

  it('checks argv the same way', () => {
    expect(checkCommand('kubectl', ['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']).verb).toBe(
      'get',
    );
    expect(() => checkCommand('kubectl', ['get', 'pods', '--server=https://x'])).toThrow(/--server/);
  });
});

describe('read-only classification', () => {
  const reads: Array<[CliTool, string]> = [
    ['kubectl', 'get pods -A'],
    ['kubectl', 'describe deploy web'],
    ['kubectl', 'logs web-1 -c app --tail=50'],
    ['kubectl', 'logs -f web-1'],
    ['kubectl', 'top nodes'],
    ['kubectl', 'explain pods.spec'],
    ['kubectl', 'api-resources'],
    ['kubectl', 'api-versions'],
    ['kubectl', 'version'],
    ['kubectl', 'cluster-info'],
    ['kubectl', 'cluster-info dump'],
    ['kubectl', 'auth can-i delete pods'],
    ['kubectl', 'auth whoami'],
    ['kubectl', 'events --for pod/web-1'],
    ['kubectl', 'diff -f https://example.com/x.yaml'],
    ['kubectl', 'rollout status deploy/web'],
    ['kubectl', 'rollout history deploy/web'],
    ['kubectl', 'wait --for=condition=Ready pod/web-1'],
    ['kubectl', 'config view'],
    ['kubectl', 'config get-contexts'],
    ['kubectl', 'config current-context'],
    ['kubectl', 'apply view-last-applied deploy/web'],
    ['kubectl', 'apply -f https://example.com/x.yaml --dry-run=server'],
    ['kubectl', 'delete pod web-1 --dry-run=client'],
    ['helm', 'list'],
    ['helm', 'ls -A'],
    ['helm', 'status web'],
    ['helm', 'get metadata web'],
    ['helm', 'history web'],
    ['helm', 'show values oci://r.example.com/web'],
    ['helm', 'template web oci://r.example.com/web'],
    ['helm', 'search repo nginx'],
    ['helm', 'version'],
    ['helm', 'env'],
    ['helm', 'install web oci://r.example.com/web --dry-run'],
    ['helm', 'upgrade web oci://r.example.com/web --dry-run=client'],
    ['istioctl', 'analyze -A'],
    ['istioctl', 'proxy-status'],
    ['istioctl', 'ps'],
    ['istioctl', 'proxy-config listeners web-1'],
    ['istioctl', 'version'],
    ['istioctl', 'x precheck'],
    ['istioctl', 'experimental describe pod web-1'],
    ['argocd', 'app list'],
    ['argocd', 'app get guestbook'],
    ['argocd', 'app diff guestbook'],
    ['argocd', 'app history guestbook'],
    ['argocd', 'app manifests guestbook'],
    ['argocd', 'cluster list'],
    ['argocd', 'proj list'],
    ['argocd', 'proj role list default'],
    ['argocd', 'repo list'],
    ['argocd', 'version --client'],
  ];
  for (const [tool, command] of reads) {
    it(`allows \`${tool} ${command}\` in read-only mode`, () => {
      const result = check(tool, command, { readOnly: true });
      expect(result.access).toBe('read');
      expect(result.destructive).toBe(false);
    });
  }

  const writes: Array<[CliTool, string, boolean]> = [
    ['kubectl', 'delete pod web-1', true],
    ['kubectl', 'apply -f https://example.com/x.yaml', false],
    ['kubectl', 'create deployment web --image=nginx', false],
    ['kubectl', 'scale deploy web --replicas=3', false],
    ['kubectl', 'rollout restart deploy/web', false],
    ['kubectl', 'rollout undo deploy/web', false],
    ['kubectl', 'patch deploy web -p {"spec":{}}', false],
    ['kubectl', 'label pod web-1 a=b', false],
    ['kubectl', 'annotate pod web-1 a=b', false],
    ['kubectl', 'set image deploy/web app=nginx:2', false],
    ['kubectl', 'drain node-1', true],
    ['kubectl', 'cordon node-1', false],
    ['kubectl', 'taint node node-1 k=v:NoSchedule', false],
    ['kubectl', 'auth reconcile -f https://example.com/rbac.yaml', false],
    ['kubectl', 'run web --image=nginx', false],
    ['kubectl', 'apply -f https://example.com/x.yaml --dry-run=none', false],
    ['kubectl', 'apply -f https://example.com/x.yaml --dry-run=client --dry-run=none', false],
    ['helm', 'install web oci://r.example.com/web', false],
    ['helm', 'upgrade --install web oci://r.example.com/web', false],
    ['helm', 'uninstall web', true],
    ['helm', 'rollback web 1', false],
    ['helm', 'repo add bitnami https://charts.bitnami.com/bitnami', false],
    ['helm', 'install web oci://r.example.com/web --dry-run=none', false],
    ['istioctl', 'install -y', false],
    ['istioctl', 'uninstall --purge', true],
    ['istioctl', 'proxy-config log web-1 --level debug', false],
    ['istioctl', 'waypoint apply -n default', false],
    ['argocd', 'app sync guestbook', false],
    ['argocd', 'app delete guestbook', true],
    ['argocd', 'app set guestbook --revision main', false],
    ['argocd', 'proj add-source default https://github.com/x/y', false],
    ['argocd', 'cluster rm https://k8s.example.com', true],
  ];
  for (const [tool, command, destructive] of writes) {
    it(`classifies \`${tool} ${command}\` as a write${destructive ? ' (destructive)' : ''}`, () => {
      const result = check(tool, command);
      expect(result.access).toBe('write');
      expect(result.destructive).toBe(destructive);
      const error = expectRefused(tool, command, 'read-only', { readOnly: true });
      expect(error.message).toContain('read-only');
      expect(error.details.next).toMatch(/^Only read-only commands run here: \S/);
    });
  }

  it('names the command and the allowed reads in the read-only refusal', () => {
    const error = expectRefused('kubectl', '-n prod delete pod web-1', 'read-only', { readOnly: true });
    expect(error.refused).toBe('kubectl delete');
    expect(error.message).toBe(
      'Refused `kubectl delete`: it changes the cluster, and this server is read-only.',
    );
    expect(error.details.next).toMatch(/get, describe, logs/);
    expect(error.details.next).toContain('--dry-run=server');
  });

  it('treats a dry run as a read only when the flag certainly is one', () => {
    const dry = check('kubectl', 'delete pod web-1 --dry-run=server');
    expect(dry).toMatchObject({ access: 'read', dryRun: true, destructive: false });
    // `-l` takes the next word as its value: it is not a dry run
    expect(check('kubectl', 'label pods -l --dry-run=server x=y').access).toBe('write');
    // kubectl needs a value; a bare --dry-run is an error there, not a preview
    expect(check('kubectl', 'delete pod web-1 --dry-run').access).toBe('write');
    // after `--` it is an argument
    expect(check('kubectl', 'run x --image=busybox -- --dry-run=server').access).toBe('write');
  });

  it('lists the verbs of each class', () => {
    const kubectl = listVerbs('kubectl');
    expect(kubectl.read).toEqual(
      expect.arrayContaining(['get', 'describe', 'logs', 'rollout status', 'auth can-i']),
    );
    expect(kubectl.write).toEqual(expect.arrayContaining(['delete', 'apply', 'create', 'rollout restart']));
    expect(kubectl.refused).toEqual(
      expect.arrayContaining(['exec', 'port-forward', 'cp', 'proxy', 'plugin']),
    );
    expect(kubectl.refused).toContain('config *');
    expect(kubectl.read).not.toContain('rollout');
    const helm = listVerbs('helm');
    expect(helm.read).toEqual(expect.arrayContaining(['list', 'status', 'get values', 'template']));
    expect(helm.read.filter((v) => v === 'list')).toHaveLength(1); // aliases once
    expect(listVerbs('argocd').refused).toEqual(expect.arrayContaining(['login', 'account', 'admin']));
  });
});

describe('refused commands', () => {
  const cases: Array<[CliTool, string, string, RegExp]> = [
    ['kubectl', 'exec -it web-1 -- sh', 'kubectl exec', /runs commands inside a container/],
    ['kubectl', 'attach web-1', 'kubectl attach', /attaches/],
    ['kubectl', 'port-forward svc/web 8080:80', 'kubectl port-forward', /listening port/],
    ['kubectl', 'cp web-1:/etc/passwd /tmp/p', 'kubectl cp', /copies files/],
    ['kubectl', 'proxy --port=8001', 'kubectl proxy', /proxy/],
    ['kubectl', 'plugin list', 'kubectl plugin', /plugins/],
    ['kubectl', 'debug node/n1 -it --image=busybox', 'kubectl debug', /debugging/],
    ['kubectl', 'edit deploy web', 'kubectl edit', /editor/],
    ['kubectl', 'alpha kuberc view', 'kubectl alpha', /alpha/],
    ['kubectl', 'config set-credentials u --token=t', 'kubectl config set-credentials', /kubeconfig/],
    ['kubectl', 'config set clusters.c.server https://evil', 'kubectl config set', /kubeconfig/],
    ['kubectl', 'config use-context other', 'kubectl config use-context', /throw-away copy/],
    ['kubectl', 'config delete-context other', 'kubectl config delete-context', /kubeconfig/],
    ['kubectl', 'create token default', 'kubectl create token', /token/],
    ['kubectl', 'apply edit-last-applied deploy/web', 'kubectl apply edit-last-applied', /editor/],
    ['helm', 'plugin install https://github.com/databus23/helm-diff', 'helm plugin', /plugins/],
    ['helm', 'plugin list', 'helm plugin', /plugins/],
    ['helm', 'registry login r.example.com', 'helm registry', /credentials/],
    ['istioctl', 'dashboard kiali', 'istioctl dashboard', /port-forwards/],
    ['istioctl', 'bug-report', 'istioctl bug-report', /archive/],
    ['istioctl', 'create-remote-secret --name c2', 'istioctl create-remote-secret', /credential/],
    ['argocd', 'login cd.example.com', 'argocd login', /logs in/],
    ['argocd', 'logout cd.example.com', 'argocd logout', /logs in/],
    ['argocd', 'relogin', 'argocd relogin', /logs in/],
    ['argocd', 'account generate-token', 'argocd account', /tokens/],
    ['argocd', 'admin initial-password', 'argocd admin', /secrets/],
    ['argocd', 'context other', 'argocd context', /logs in/],
    ['argocd', 'proj role create-token default ci', 'argocd proj role create-token', /token/],
    ['argocd', 'app edit guestbook', 'argocd app edit', /editor/],
  ];
  for (const [tool, command, refused, why] of cases) {
    it(`refuses \`${tool} ${command}\``, () => {
      const error = expectRefused(tool, command, 'verb');
      expect(error.refused).toBe(refused);
      expect(error.message).toMatch(why);
      // whatever the mode
      expect(
        refusal(tool, command, { readOnly: false, allowLocalFiles: true, allowSecrets: true }).kind,
      ).toBe('verb');
    });
  }

  it("says to pick the context with the tool's argument instead of switching contexts", () => {
    expect(refusal('kubectl', 'config use-context other').details.next).toContain('`context` argument');
  });

  it('says what to do instead of exec', () => {
    const error = refusal('kubectl', 'exec web-1 -- cat /var/log/app.log');
    expect(error.message).toBe('Refused `kubectl exec`: it runs commands inside a container.');
    expect(error.details.next).toContain('kubectl logs');
  });

  it('refuses config view --raw but not config view', () => {
    for (const command of [
      'config view --raw',
      'config view --raw=true',
      'config view --minify --raw -o yaml',
    ]) {
      const error = expectRefused('kubectl', command, 'flag');
      expect(error.refused).toBe('--raw');
      expect(error.message).toMatch(/credentials unredacted/);
    }
    expect(check('kubectl', 'config view --raw=false').verb).toBe('config view');
    expect(check('kubectl', 'config view --minify').verb).toBe('config view');
  });

  it('refuses run with a terminal or stdin, in every spelling', () => {
    for (const command of [
      'run t -it --image=busybox -- sh',
      'run t -ti --image=busybox',
      'run t -i --image=busybox',
      'run t -t --image=busybox',
      'run t --stdin --image=busybox',
      'run t --tty=true --image=busybox',
      'run t --attach --image=busybox',
      'run t --rm -it --image=busybox -- sh',
    ]) {
      expectRefused('kubectl', command, 'flag');
    }
    expect(check('kubectl', 'run t --image=busybox --restart=Never -- sleep 5').access).toBe('write');
    expect(check('kubectl', 'run t --image=busybox --attach=false').access).toBe('write');
  });
});

describe('refused flags, in every form', () => {
  const kubectl: Array<[string, string]> = [
    ['get pods --kubeconfig /etc/kubernetes/admin.conf', '--kubeconfig'],
    ['get pods --kubeconfig=/etc/kubernetes/admin.conf', '--kubeconfig'],
    ['--kubeconfig=/x get pods', '--kubeconfig'],
    ['get pods --token abc', '--token'],
    ['get pods --token=abc', '--token'],
    ['get pods --as system:admin', '--as'],
    ['get pods --as=system:admin', '--as'],
    ['get pods --as-group system:masters', '--as-group'],
    ['get pods --as-group=system:masters', '--as-group'],
    ['get pods --as-uid 0', '--as-uid'],
    ['get pods --as-uid=0', '--as-uid'],
    ['get pods --as-user-extra=a=b', '--as-user-extra'],
    ['get pods --server https://evil.example.com', '--server'],
    ['get pods --server=https://evil.example.com', '--server'],
    ['get pods -s https://evil.example.com', '-s'],
    ['get pods -s=https://evil.example.com', '-s'],
    ['get pods -shttps://evil.example.com', '-s'],
    ['-s https://evil.example.com get pods', '-s'],
    ['get pods -As https://evil.example.com', '-As'],
    ['get pods --client-key /k', '--client-key'],
    ['get pods --client-key=/k', '--client-key'],
    ['get pods --client-certificate /c', '--client-certificate'],
    ['get pods --client-certificate=/c', '--client-certificate'],
    ['get pods --certificate-authority /ca', '--certificate-authority'],
    ['get pods --certificate-authority=/ca', '--certificate-authority'],
    ['get pods --username admin', '--username'],
    ['get pods --username=admin', '--username'],
    ['get pods --password secret', '--password'],
    ['get pods --password=secret', '--password'],
    ['get pods --insecure-skip-tls-verify', '--insecure-skip-tls-verify'],
    ['get pods --insecure-skip-tls-verify=true', '--insecure-skip-tls-verify'],
    ['get pods --insecure_skip_tls_verify', '--insecure_skip_tls_verify'],
    ['get pods --tls-server-name=x', '--tls-server-name'],
    ['get pods --kuberc=/x', '--kuberc'],
    ['create -f https://example.com/x.yaml --edit', '--edit'],
  ];
  for (const [command, refused] of kubectl) {
    it(`kubectl ${command}`, () => {
      const error = expectRefused('kubectl', command, 'flag');
      expect(error.refused).toBe(refused);
      // also in the least strict mode
      expect(refusal('kubectl', command, { allowLocalFiles: true, allowSecrets: true }).kind).toBe('flag');
    });
  }

  const others: Array<[CliTool, string, string]> = [
    ['helm', 'list --kubeconfig /x', '--kubeconfig'],
    ['helm', 'list --kubeconfig=/x', '--kubeconfig'],
    ['helm', 'list --kube-token t', '--kube-token'],
    ['helm', 'list --kube-token=t', '--kube-token'],
    ['helm', '--kube-apiserver https://evil list', '--kube-apiserver'],
    ['helm', 'list --kube-apiserver=https://evil', '--kube-apiserver'],
    ['helm', 'list --kube-as-user admin', '--kube-as-user'],
    ['helm', 'list --kube-as-user=admin', '--kube-as-user'],
    ['helm', 'list --kube-as-group=g', '--kube-as-group'],
    ['helm', 'list --kube-ca-file=/ca', '--kube-ca-file'],
    ['helm', 'list --kube-insecure-skip-tls-verify', '--kube-insecure-skip-tls-verify'],
    ['helm', 'repo add r https://x --username u --password p', '--username'],
    ['helm', 'repo add r https://x --password=p', '--password'],
    ['helm', 'install web oci://r/web --post-renderer ./hack.sh', '--post-renderer'],
    ['helm', 'install web oci://r/web --post-renderer=./hack.sh', '--post-renderer'],
    ['helm', 'list --repository-config=/root/.config/helm/repositories.yaml', '--repository-config'],
    ['helm', 'pull oci://r/web --registry-config /root/.docker/config.json', '--registry-config'],
    ['helm', 'install web oci://r/web --insecure-skip-tls-verify', '--insecure-skip-tls-verify'],
    ['istioctl', 'proxy-status --kubeconfig /x', '--kubeconfig'],
    ['istioctl', 'proxy-status --kubeconfig=/x', '--kubeconfig'],
    ['istioctl', '-c /x proxy-status', '-c'],
    ['istioctl', 'proxy-status -c=/x', '-c'],
    ['istioctl', 'x precheck --token t', '--token'],
    ['istioctl', 'proxy-status --xds-address evil:15012', '--xds-address'],
    ['istioctl', 'analyze --as admin', '--as'],
    ['argocd', 'app list --auth-token t', '--auth-token'],
    ['argocd', 'app list --auth-token=t', '--auth-token'],
    ['argocd', '--server cd.example.com app list', '--server'],
    ['argocd', 'app list --server=cd.example.com', '--server'],
    ['argocd', 'app list --config /root/.config/argocd/config', '--config'],
    ['argocd', 'app list -H Authorization:x', '-H'],
    ['argocd', 'app list --header=Authorization:x', '--header'],
    ['argocd', 'app list --insecure', '--insecure'],
    ['argocd', 'app list --client-crt /c', '--client-crt'],
    ['argocd', 'repo add git@github.com:x/y --ssh-private-key-path ~/.ssh/id_rsa', '--ssh-private-key-path'],
    ['argocd', 'cluster add ctx --kubeconfig=/x', '--kubeconfig'],
  ];
  for (const [tool, command, refused] of others) {
    it(`${tool} ${command}`, () => {
      expect(expectRefused(tool, command, 'flag').refused).toBe(refused);
    });
  }

  it('explains what to do instead of --server and --token', () => {
    const server = refusal('kubectl', 'get pods --server https://evil.example.com');
    expect(server.message).toBe(
      'Refused `--server`: it sends the kubeconfig credentials to another API server.',
    );
    expect(server.details.next).toContain('`context` argument');
    expect(refusal('kubectl', 'get pods --token x').details.next).toContain('kubeconfig');
  });

  it('does not mistake flag values or lookalikes for refused flags', () => {
    expect(check('kubectl', 'get pods -lapp=postgres,tier=s').verb).toBe('get');
    expect(check('kubectl', 'get pods -l app=s -o jsonpath={.items[*].spec.serviceAccountName}').verb).toBe(
      'get',
    );
    expect(check('kubectl', 'logs web-1 -c sidecar').verb).toBe('logs');
    expect(
      check('kubectl', 'create secret generic s --from-literal=token=abc --dry-run=client -o yaml').verb,
    ).toBe('create secret generic');
    expect(check('kubectl', 'get serviceaccounts').verb).toBe('get');
    expect(check('kubectl', 'logs web-1 --since=1h --timestamps').verb).toBe('logs');
    expect(
      check('argocd', 'app create web --dest-server https://kubernetes.default.svc --repo https://x').verb,
    ).toBe('app create');
    expect(check('helm', 'template web oci://r/web -s templates/deploy.yaml').verb).toBe('template');
  });
});

describe('namespaces', () => {
  const with_: Array<[CliTool, string]> = [
    ['kubectl', 'get pods -n x'],
    ['kubectl', 'get pods -nx'],
    ['kubectl', 'get pods -n=x'],
    ['kubectl', 'get pods --namespace x'],
    ['kubectl', 'get pods --namespace=x'],
    ['kubectl', '-n x get pods'],
    ['kubectl', 'get pods -A'],
    ['kubectl', 'get pods --all-namespaces'],
    ['helm', 'list -A'],
    ['helm', 'status web -n x'],
    ['istioctl', 'analyze -n x'],
  ];
  for (const [tool, command] of with_) {
    it(`sees the namespace in \`${tool} ${command}\``, () => {
      expect(check(tool, command).hasNamespace).toBe(true);
    });
  }
  it('sees none in `kubectl get pods -l app=n`', () => {
    expect(check('kubectl', 'get pods -l app=n').hasNamespace).toBe(false);
    expect(check('kubectl', 'get pods').hasNamespace).toBe(false);
  });
});

describe("files on the server's disk", () => {
  const local: Array<[CliTool, string, string]> = [
    ['kubectl', 'apply -f ./deploy.yaml', '-f ./deploy.yaml'],
    ['kubectl', 'apply -f/etc/kubernetes/admin.conf', '-f /etc/kubernetes/admin.conf'],
    ['kubectl', 'apply --filename=/etc/passwd', '--filename /etc/passwd'],
    ['kubectl', 'apply -k ./overlays/prod', '-k ./overlays/prod'],
    ['kubectl', 'create secret generic s --from-file=/root/.ssh/id_rsa', '--from-file /root/.ssh/id_rsa'],
    ['kubectl', 'create configmap c --from-env-file /root/.env', '--from-env-file /root/.env'],
    ['kubectl', 'create secret tls t --cert=/etc/ssl/c.pem --key=/etc/ssl/k.pem', '--cert /etc/ssl/c.pem'],
    ['kubectl', 'cluster-info dump --output-directory=/tmp/dump', '--output-directory /tmp/dump'],
    ['kubectl', 'get pods --cache-dir /var/cache', '--cache-dir /var/cache'],
    ['kubectl', 'kustomize ./overlays/prod', 'kubectl kustomize'],
    ['helm', 'install web oci://r/web -f values.yaml', '-f values.yaml'],
    ['helm', 'install web oci://r/web --values=/root/values.yaml', '--values /root/values.yaml'],
    ['helm', 'install web oci://r/web --set-file cfg=/etc/shadow', '--set-file cfg=/etc/shadow'],
    ['helm', 'pull oci://r/web --untar --untardir /tmp/x', '--untardir /tmp/x'],
    ['helm', 'template web oci://r/web --output-dir /tmp/out', '--output-dir /tmp/out'],
    ['helm', 'package ./chart', 'helm package'],
    ['helm', 'install web /srv/charts/web', '/srv/charts/web'],
    ['helm', 'install web ./chart', './chart'],
    ['helm', 'upgrade web ../../etc/chart', '../../etc/chart'],
    ['helm', 'template web web-1.2.3.tgz', 'web-1.2.3.tgz'],
    ['helm', 'show values ~/charts/web', '~/charts/web'],
    ['helm', 'pull /srv/charts/web.tgz', '/srv/charts/web.tgz'],
    ['helm', 'lint charts/web', 'helm lint'],
    ['helm', 'create mychart', 'helm create'],
    ['helm', 'dependency update ./chart', 'helm dependency update'],
    ['istioctl', 'analyze ./mesh.yaml', './mesh.yaml'],
    ['istioctl', 'kube-inject -f deploy.yaml', '-f deploy.yaml'],
    ['argocd', 'app create -f app.yaml', '-f app.yaml'],
    ['argocd', 'app diff guestbook --local ./manifests', '--local ./manifests'],
  ];
  for (const [tool, command, refused] of local) {
    it(`refuses \`${tool} ${command}\` unless local files are allowed`, () => {
      const error = expectRefused(tool, command, 'local-file');
      expect(error.refused).toBe(refused);
      expect(() => check(tool, command, { allowLocalFiles: true })).not.toThrow();
    });
  }

  it('allows chart references that are not paths', () => {
    expect(check('helm', 'install web nginx --repo https://charts.example.com').verb).toBe('install');
    expect(check('helm', 'upgrade web bitnami/nginx').verb).toBe('upgrade');
    expect(check('helm', 'template web oci://r.example.com/web').verb).toBe('template');
  });

  it('allows URLs and stdin', () => {
    expect(check('kubectl', 'apply -f https://example.com/x.yaml').verb).toBe('apply');
    expect(check('kubectl', 'apply -f -').verb).toBe('apply');
    expect(check('helm', 'install web oci://r/web -f https://example.com/values.yaml').verb).toBe('install');
    // logs -f is --follow
    expect(check('kubectl', 'logs -f web-1').verb).toBe('logs');
  });

  it('says how to pass the content instead', () => {
    const error = refusal('kubectl', 'apply -f ./x.yaml');
    expect(error.message).toContain("on the server's own disk");
    expect(error.details.next).toContain('URL');
    expect(error.details.next).toContain('stdin');
  });
});

describe('Secret values in output formats that cannot be redacted', () => {
  const refusedCases = [
    'get secret db -o jsonpath={.data.password}',
    "get secret db -o 'jsonpath={.data}'",
    'get secrets -o go-template={{.data}}',
    'get secret/db -ojsonpath={.data.password}',
    'get secret db -o=custom-columns=PW:.data.password',
    'get pods,secrets -o custom-columns=N:.metadata.name',
    'get secrets.v1 -o jsonpath-as-json={.items[*].data}',
    'get secret db -o kyaml',
    'get secret db -o yaml --template={{.data}}',
    'create secret generic s --from-literal=a=b --dry-run=client -o jsonpath={.data}',
    'get -f https://example.com/s.yaml -o jsonpath={.data}',
  ];
  for (const command of refusedCases) {
    it(`refuses \`kubectl ${command}\` unless secrets are allowed`, () => {
      const error = expectRefused('kubectl', command, 'secrets');
      expect(error.details.next).toContain('-o yaml');
      expect(() => check('kubectl', command, { allowSecrets: true })).not.toThrow();
    });
  }

  it('allows the formats the runner redacts, and templates on other kinds', () => {
    for (const command of [
      'get secrets',
      'get secret db -o yaml',
      'get secret db -o json',
      'get secrets -o name',
      'get secrets -o wide',
      'describe secret db',
      'get pods -o jsonpath={.items[*].metadata.name}',
      'get configmap c -o go-template={{.data}}',
    ]) {
      expect(() => check('kubectl', command), command).not.toThrow();
    }
  });
});

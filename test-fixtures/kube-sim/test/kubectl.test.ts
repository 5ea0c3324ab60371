import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type KubeSim, startKubeSim } from '../src/index.js';
import { BinaryEnv, call, KUBECTL, missingBinary, parseColumns } from './helpers.js';

const missing = missingBinary(KUBECTL);
if (missing) console.warn(`kubectl tests skipped: ${missing}`);

const OCM_CRD = new URL(
  './fixtures/ocm-crds/0000_00_clusters.open-cluster-management.io_managedclusters.crd.yaml',
  import.meta.url,
);

describe.skipIf(!!missing)(
  missing ? `kubectl 1.35 (skipped: ${missing})` : 'kubectl 1.35 against kube-sim',
  () => {
    let sim: KubeSim;
    let env: BinaryEnv;
    const file = (name: string, text: string) => {
      const p = join(env.dir, name);
      writeFileSync(p, text);
      return p;
    };
    const k = (...args: string[]) => env.kubectl(args);
    const c = () => sim.clusters[0]!;

    beforeAll(async () => {
      sim = await startKubeSim();
      env = new BinaryEnv(sim);
    });
    afterAll(async () => {
      await sim?.close();
      env?.cleanup();
    });

    it('talks TLS to the sim CA and reports the server version', async () => {
      const r = await k('version', '-o', 'json');
      expect(r.code).toBe(0);
      const v = JSON.parse(r.stdout);
      expect(v.clientVersion.gitVersion).toMatch(/^v1\.35\./);
      expect(v.serverVersion.gitVersion).toBe('v1.35.0');
    });

    it('get pods prints READY/STATUS/RESTARTS from the server-side Table', async () => {
      const r = await k('get', 'pods', '-n', 'team-a');
      expect(r.code, r.stderr).toBe(0);
      const rows = parseColumns(r.stdout);
      expect(Object.keys(rows[0]!)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      const crash = rows.find((row) => row.STATUS === 'CrashLoopBackOff')!;
      expect(crash.NAME).toMatch(/^api-/);
      expect(crash.READY).toBe('0/1');
      expect(crash.RESTARTS).toMatch(/^14 \(\d+m\d*s? ago\)$/);
      expect(
        rows.filter((row) => row.NAME!.startsWith('web-')).map((row) => [row.READY, row.STATUS]),
      ).toEqual([
        ['1/1', 'Running'],
        ['1/1', 'Running'],
        ['1/1', 'Running'],
      ]);
      const list = c()
        .log.filter((e) => e.verb === 'list' && e.resource === 'pods' && e.namespace === 'team-a')
        .pop();
      expect(list?.accept).toContain('as=Table;v=v1;g=meta.k8s.io');
      const wide = parseColumns((await k('get', 'pods', '-n', 'team-b', '-o', 'wide')).stdout);
      expect(Object.keys(wide[0]!)).toContain('NODE');
      expect(wide.find((row) => row.NAME === 'debug-shell')!.NODE).toMatch(/^sim-1-worker/);
    });

    it('get -o yaml returns the stored object', async () => {
      const r = await k('get', 'deployment', 'web', '-n', 'team-a', '-o', 'yaml');
      expect(r.code, r.stderr).toBe(0);
      const d = parse(r.stdout);
      expect(d).toMatchObject({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'team-a' },
        spec: { replicas: 3 },
      });
      expect(d.status.readyReplicas).toBe(3);
    });

    it('describe pod shows container state, restarts and events', async () => {
      const name = parseColumns((await k('get', 'pods', '-n', 'team-a', '-l', 'app=api')).stdout).find(
        (r) => r.STATUS === 'CrashLoopBackOff',
      )!.NAME!;
      const r = await k('describe', 'pod', name, '-n', 'team-a');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Status:\s+Running/);
      expect(r.stdout).toMatch(/Reason:\s+CrashLoopBackOff/);
      expect(r.stdout).toMatch(/Last State:\s+Terminated/);
      expect(r.stdout).toMatch(/Restart Count:\s+14/);
      expect(r.stdout).toMatch(/Warning\s+BackOff\s+.*\(x187 over 2d\)\s+kubelet/);
      expect(r.stdout).toContain("DATABASE_URL:  <set to the key 'url' in secret 'db-credentials'>");
    });

    it('apply --server-side with default validation, and strict server-side rejection of unknown fields', async () => {
      const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      containers:
      - name: hello
        image: nginx:1.27
        ports:
        - containerPort: 80
`;
      const r = await k('apply', '--server-side', '-f', file('hello.yaml', manifest));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('deployment.apps/hello serverside-applied');
      const patch = c()
        .log.filter((e) => e.method === 'PATCH' && e.name === 'hello')
        .pop()!;
      expect(patch.contentType).toBe('application/apply-patch+yaml');
      expect(patch.query).toContain('fieldManager=kubectl');
      expect(patch.query).toContain('fieldValidation=Strict');
      const bad = await k(
        'apply',
        '--server-side',
        '-f',
        file('bad.yaml', manifest.replace('replicas: 2', 'replicas: 2\n  replica: 3')),
      );
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('.spec.replica: field not declared in schema');
      const rollout = await k('rollout', 'status', 'deployment/hello', '--timeout=20s');
      expect(rollout.stdout).toContain('deployment "hello" successfully rolled out');
    });

    it('client-side apply creates, then patches with a strategic merge patch', async () => {
      const cm = (v: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: ${v}
`;
      const first = await k('apply', '-f', file('cm.yaml', cm('blue')));
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout.trim()).toBe('configmap/settings created');
      const second = await k('apply', '-f', file('cm.yaml', cm('green')));
      expect(second.stdout.trim()).toBe('configmap/settings configured');
      const patch = c()
        .log.filter((e) => e.method === 'PATCH' && e.name === 'settings')
        .pop()!;
      expect(patch.contentType).toBe('application/strategic-merge-patch+json');
      expect(patch.query).toContain('fieldManager=kubectl-client-side-apply');
      const got = parse((await k('get', 'cm', 'settings', '-o', 'yaml')).stdout);
      expect(got.data.mode).toBe('green');
      expect(
        JSON.parse(got.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).data.mode,
      ).toBe('green');
      const unchanged = await k('apply', '-f', file('cm.yaml', cm('green')));
      expect(unchanged.stdout.trim()).toBe('configmap/settings unchanged');
    });

    it('scale changes the pod count; rollout restart makes a new ReplicaSet and rollout status completes', async () => {
      const s = await k('scale', 'deployment/hello', '--replicas=3');
      expect(s.stdout.trim()).toBe('deployment.apps/hello scaled');
      await c().settle();
      const pods = parseColumns((await k('get', 'pods', '-l', 'app=hello')).stdout);
      expect(pods.filter((p) => p.STATUS === 'Running')).toHaveLength(3);
      const before = parseColumns((await k('get', 'rs', '-l', 'app=hello')).stdout);
      expect(before).toHaveLength(1);
      const restart = await k('rollout', 'restart', 'deployment/hello');
      expect(restart.stdout.trim()).toBe('deployment.apps/hello restarted');
      const status = await k('rollout', 'status', 'deployment/hello', '--timeout=30s');
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain('deployment "hello" successfully rolled out');
      const after = parseColumns((await k('get', 'rs', '-l', 'app=hello')).stdout);
      expect(after).toHaveLength(2);
      expect(after.map((r) => r.DESIRED).sort()).toEqual(['0', '3']);
      const d = parse((await k('get', 'deploy', 'hello', '-o', 'yaml')).stdout);
      expect(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
      expect(d.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    });

    it('logs, including --previous for the crash-looping pod', async () => {
      const tail = await k('logs', 'deploy/web', '-n', 'team-a', '--tail=3');
      expect(tail.code, tail.stderr).toBe(0);
      expect(tail.stdout.trim().split('\n')).toHaveLength(3);
      expect(tail.stdout).toContain('HTTP/1.1');
      const name = parseColumns((await k('get', 'pods', '-n', 'team-a', '-l', 'app=api')).stdout).find(
        (r) => r.STATUS === 'CrashLoopBackOff',
      )!.NAME!;
      const prev = await k('logs', name, '-n', 'team-a', '--previous');
      expect(prev.code, prev.stderr).toBe(0);
      expect(prev.stdout).toContain(
        'panic: failed to initialise storage: FATAL: password authentication failed for user "orders"',
      );
      const none = await k('logs', 'postgres-0', '-n', 'team-a', '--previous');
      expect(none.code).not.toBe(0);
      expect(none.stderr).toContain('previous terminated container "postgres" in pod "postgres-0" not found');
    });

    it('delete removes the object and its dependents; errors come from Status objects', async () => {
      const r = await k('delete', 'deployment', 'hello');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe('deployment.apps "hello" deleted from default namespace');
      await c().settle();
      const gone = await k('get', 'deployment', 'hello');
      expect(gone.code).not.toBe(0);
      expect(gone.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "hello" not found');
      const pods = await k('get', 'pods', '-l', 'app=hello');
      expect(pods.stderr.trim()).toBe('No resources found in default namespace.');
      const forbidden = await env.kubectl(['delete', 'pod', 'debug-shell', '-n', 'team-b'], { user: 'view' });
      expect(forbidden.code).not.toBe(0);
      expect(forbidden.stderr.trim()).toBe(
        'Error from server (Forbidden): pods "debug-shell" is forbidden: User "viewer" cannot delete resource "pods" in API group "" in the namespace "team-b"',
      );
    });

    it('auth can-i answers from SelfSubjectAccessReview', async () => {
      const no = await env.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'team-a'], { user: 'view' });
      expect(no.stdout.trim()).toBe('no');
      expect(no.code).toBe(1);
      const yes = await env.kubectl(['auth', 'can-i', 'list', 'pods', '-n', 'team-a'], { user: 'view' });
      expect(yes.stdout.trim()).toBe('yes');
      const team = await env.kubectl(['auth', 'can-i', 'create', 'rolebindings', '-n', 'team-a'], {
        user: 'teamAdmin',
      });
      expect(team.stdout.trim()).toBe('yes');
      const other = await env.kubectl(['auth', 'can-i', 'get', 'pods', '-n', 'team-b'], {
        user: 'teamAdmin',
      });
      expect(other.stdout.trim()).toBe('no');
      const who = await env.kubectl(['auth', 'whoami', '-o', 'json'], { user: 'edit' });
      expect(JSON.parse(who.stdout).status.userInfo.username).toBe('editor');
    });

    it('get -w streams changes and ends with --request-timeout', async () => {
      const started = Date.now();
      const proc = spawn(
        KUBECTL,
        ['get', 'configmaps', '-n', 'team-b', '-w', '--request-timeout=3s', '--kubeconfig', env.kubeconfig()],
        {
          env: { HOME: env.home, PATH: '/usr/bin:/bin' },
        },
      );
      let out = '';
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      while (!out.includes('kube-root-ca.crt') && Date.now() - started < 5000)
        await new Promise((r) => setTimeout(r, 50));
      await call(c(), '/api/v1/namespaces/team-b/configmaps', {
        method: 'POST',
        body: { metadata: { name: 'watched' }, data: { a: '1' } },
      });
      const code = await exited;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(code).toBe(0);
      const rows = parseColumns(out);
      expect(rows.map((r) => r.NAME)).toEqual(['kube-root-ca.crt', 'watched']);
      expect(rows[1]!.DATA).toBe('1');
    });

    it('kubectl create works through typed clients that send protobuf bodies', async () => {
      expect((await k('create', 'namespace', 'proto')).stdout.trim()).toBe('namespace/proto created');
      const d = await k(
        'create',
        'deployment',
        'pb',
        '--image=nginx:1.27',
        '--replicas=2',
        '--port=80',
        '-n',
        'proto',
      );
      expect(d.code, d.stderr).toBe(0);
      expect(d.stdout.trim()).toBe('deployment.apps/pb created');
      const create = c()
        .log.filter((e) => e.method === 'POST' && e.resource === 'deployments')
        .pop()!;
      expect(create.contentType).toBe('application/vnd.kubernetes.protobuf');
      await c().settle();
      const dep = parse((await k('get', 'deploy', 'pb', '-n', 'proto', '-o', 'yaml')).stdout);
      expect(dep.spec.template.spec.containers).toEqual([
        {
          name: 'nginx',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ]);
      expect(dep.status.readyReplicas).toBe(2);
      const sec = await k('create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '-n', 'proto');
      expect(sec.stdout.trim()).toBe('secret/creds created');
      const job = await k('create', 'job', 'once', '--image=busybox:1.36', '-n', 'proto', '--', 'echo', 'hi');
      expect(job.stdout.trim()).toBe('job.batch/once created');
      const exec = await k('exec', '-n', 'proto', 'deploy/pb', '--', 'ls');
      expect(exec.code).not.toBe(0);
      expect(exec.stderr).toContain('kube-sim runs no containers');
    });

    it('applies an OCM CRD and then gets its custom resources with printer columns', async () => {
      const crd = await k('apply', '-f', OCM_CRD.pathname);
      expect(crd.code, crd.stderr).toBe(0);
      expect(crd.stdout.trim()).toBe(
        'customresourcedefinition.apiextensions.k8s.io/managedclusters.cluster.open-cluster-management.io created',
      );
      const mc = file(
        'mc.yaml',
        `apiVersion: cluster.open-cluster-management.io/v1
kind: ManagedCluster
metadata:
  name: spoke-1
spec:
  hubAcceptsClient: true
  managedClusterClientConfigs:
  - url: https://spoke-1.example.com:6443
`,
      );
      const created = await k('apply', '-f', mc);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout.trim()).toBe('managedcluster.cluster.open-cluster-management.io/spoke-1 created');
      const rows = parseColumns((await k('get', 'managedclusters')).stdout);
      expect(rows).toEqual([
        {
          NAME: 'spoke-1',
          'HUB ACCEPTED': 'true',
          'MANAGED CLUSTER URLS': 'https://spoke-1.example.com:6443',
          JOINED: '',
          AVAILABLE: '',
          AGE: expect.stringMatching(/^\d+s$/),
        },
      ]);
      const short = await k('get', 'mcl', 'spoke-1', '-o', 'jsonpath={.spec.leaseDurationSeconds}');
      expect(short.stdout).toBe('60');
      const again = await k(
        'apply',
        '-f',
        file(
          'mc.yaml',
          `apiVersion: cluster.open-cluster-management.io/v1\nkind: ManagedCluster\nmetadata:\n  name: spoke-1\nspec:\n  hubAcceptsClient: false\n`,
        ),
      );
      expect(again.stdout.trim()).toBe(
        'managedcluster.cluster.open-cluster-management.io/spoke-1 configured',
      );
      const patch = c()
        .log.filter((e) => e.method === 'PATCH' && e.name === 'spoke-1')
        .pop()!;
      expect(patch.contentType).toBe('application/merge-patch+json');
    });
  },
);

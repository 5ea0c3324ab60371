// Every server's rendered chart, with its defaults and with every optional object on, applied with
// `kubectl apply --server-side --dry-run=server` to kube-sim, which checks each object against its schema
// (unknown fields and wrong types refused: kubectl asks for Strict field validation), names, required
// fields and a Deployment's selector against its template. Then the objects the API server answered with
// are checked for what the chart promises. kube-sim keeps HorizontalPodAutoscaler and NetworkPolicy specs
// open (any field passes), and knows a ServiceMonitor only through the CRD registered here
// (servicemonitor-crd.yaml): their content is asserted below instead.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startKubeSim } from 'kube-sim';
import { CHART, documents, helmTemplate, missingTools, run, scratchHome } from './tools.mjs';

const NAMESPACE = 'mcp';
const RELEASE = 'mcp';
const BINS = {
  cloudstack: 'cloudstack-mcp',
  cloudeka: 'cloudeka-mcp',
  kubernetes: 'kubernetes-mcp',
  oke: 'oke-mcp',
  ocm: 'ocm-mcp',
};
/** Where each server's ci values put the static token. */
const TOKEN_REF = {
  cloudstack: { name: 'mcp-auth', key: 'token' },
  cloudeka: { name: 'mcp-auth', key: 'bearer' },
  kubernetes: { name: 'mcp-auth', key: 'token' },
  oke: { name: 'mcp-oke-auth', key: 'token' },
  ocm: { name: 'mcp-auth', key: 'token' },
};
const OKE_TOKEN = 'ci-only-token-not-a-secret'; // oke-values.yaml gives it as a value
const FEATURES_ON = new URL('./features-on.yaml', import.meta.url).pathname;
const CRD = new URL('./servicemonitor-crd.yaml', import.meta.url).pathname;

const skip = missingTools();
const scratch = scratchHome();
let sim;
let kubeconfig;

const kubectl = (args, input) =>
  run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(scratch.home, 'kube-cache'), ...args], {
    home: scratch.home,
    input,
  });

/** The objects kube-sim answers a server-side dry-run apply of `yaml` with (kubectl fails the test otherwise). */
async function dryRunApply(yaml) {
  const args = ['apply', '--server-side', '--dry-run=server', '--field-manager=cloudmcp-chart-test'];
  const { code, stdout, stderr } = await kubectl([...args, '-o', 'json', '-f', '-'], yaml);
  assert.equal(code, 0, `kube-sim refused the rendered chart:\n${stderr}`);
  const answer = JSON.parse(stdout);
  return answer.kind === 'List' ? answer.items : [answer];
}

async function render(server, featuresOn) {
  const values = [join(CHART, 'ci', `${server}-values.yaml`), ...(featuresOn ? [FEATURES_ON] : [])];
  const { code, stdout, stderr } = await helmTemplate(scratch.home, {
    name: RELEASE,
    namespace: NAMESPACE,
    values,
  });
  assert.equal(code, 0, stderr);
  return stdout;
}

before(async () => {
  if (skip) return;
  sim = await startKubeSim({ clusters: 1, seed: 'empty' });
  kubeconfig = join(scratch.home, 'kubeconfig');
  sim.writeKubeconfig(kubeconfig, { user: 'admin' });
  for (const [args, input] of [
    [['create', 'namespace', NAMESPACE]],
    [['apply', '--server-side', '--field-manager=cloudmcp-chart-test', '-f', CRD]],
    [['wait', '--for=condition=Established', 'crd/servicemonitors.monitoring.coreos.com', '--timeout=20s']],
  ]) {
    const { code, stderr } = await kubectl(args, input);
    assert.equal(code, 0, stderr);
  }
});

after(async () => {
  await sim?.close();
  scratch.dispose();
});

const matches = (selector, labels) => Object.entries(selector).every(([key, value]) => labels[key] === value);

function checkRelease(server, featuresOn, objects, rendered) {
  const byKind = new Map();
  for (const object of objects) byKind.set(object.kind, [...(byKind.get(object.kind) ?? []), object]);
  const one = (kind) => {
    const found = byKind.get(kind) ?? [];
    assert.equal(found.length, 1, `one ${kind} (got ${found.length})`);
    return found[0];
  };
  const name = `${RELEASE}-${server}`;

  const kinds = ['Deployment', 'PodDisruptionBudget', 'Secret', 'Service'];
  if (featuresOn) kinds.push('HorizontalPodAutoscaler', 'NetworkPolicy', 'ServiceAccount', 'ServiceMonitor');
  else if (server === 'kubernetes') kinds.push('ServiceAccount');
  if (server === 'kubernetes') kinds.push('ClusterRoleBinding');
  assert.deepEqual([...byKind.keys()].sort(), kinds.sort());
  for (const object of objects) {
    assert.equal(object.metadata.labels['app.kubernetes.io/name'], 'cloudmcp', object.kind);
    if (object.kind !== 'ClusterRoleBinding') assert.equal(object.metadata.namespace, NAMESPACE, object.kind);
  }

  // The Deployment: the server's own bin and image, as a non-root user on a read-only root filesystem.
  const deployment = one('Deployment');
  assert.equal(deployment.metadata.name, name);
  const pod = deployment.spec.template.spec;
  const podLabels = deployment.spec.template.metadata.labels;
  assert.equal(pod.containers.length, 1);
  const [container] = pod.containers;
  assert.deepEqual(container.command, [BINS[server], '--http', '0.0.0.0:8080']);
  assert.equal(container.image, `cloudmcp/${server}:0.1.0`);
  assert.deepEqual(container.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.ok(pod.securityContext.runAsUser > 0, 'numeric non-root UID');
  assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  const security = container.securityContext;
  assert.equal(security.readOnlyRootFilesystem, true);
  assert.equal(security.allowPrivilegeEscalation, false);
  assert.equal(security.runAsNonRoot, true);
  assert.equal(security.privileged, false);
  assert.deepEqual(security.capabilities, { drop: ['ALL'] });
  assert.equal(security.seccompProfile.type, 'RuntimeDefault');
  assert.equal(pod.enableServiceLinks, false);

  // What it writes goes to emptyDirs.
  const env = Object.fromEntries(container.env.map((variable) => [variable.name, variable]));
  const volumes = Object.fromEntries(pod.volumes.map((volume) => [volume.name, volume]));
  for (const [variable, path] of [
    ['HOME', '/home/cloudmcp'],
    ['TMPDIR', '/tmp'],
  ]) {
    assert.equal(env[variable].value, path);
    const mount = container.volumeMounts.find((m) => m.mountPath === path);
    assert.ok(mount, `${path} is mounted`);
    assert.ok(volumes[mount.name].emptyDir, `${path} is an emptyDir`);
  }

  // Credentials come from Secrets, never from a value in the pod spec.
  assert.deepEqual(env.CLOUDMCP_HTTP_TOKEN.valueFrom.secretKeyRef, TOKEN_REF[server]);
  assert.equal(env.CLOUDMCP_HTTP_TOKEN.value, undefined);
  assert.deepEqual(env.CLOUDMCP_STATE_KEY.valueFrom.secretKeyRef, {
    name: `${name}-state`,
    key: 'state-key',
  });
  assert.ok(!JSON.stringify(deployment).includes(OKE_TOKEN), 'the token value is not in the Deployment');
  const stateSecret = byKind.get('Secret').find((secret) => secret.metadata.name === `${name}-state`);
  assert.equal(Buffer.from(stateSecret.data['state-key'], 'base64').toString().length, 48);

  // Probes: liveness and start-up on /healthz, readiness on /readyz, on the named port.
  for (const [probe, path] of [
    ['startupProbe', '/healthz'],
    ['livenessProbe', '/healthz'],
    ['readinessProbe', '/readyz'],
  ]) {
    assert.deepEqual(
      { path: container[probe].httpGet.path, port: container[probe].httpGet.port },
      { path, port: 'http' },
      probe,
    );
  }

  // Graceful shutdown fits in the grace period: the preStop sleep, then --shutdown-timeout.
  const shutdown = Number(env.CLOUDMCP_SHUTDOWN_TIMEOUT.value);
  assert.equal(shutdown, 25);
  assert.equal(pod.terminationGracePeriodSeconds, 30);
  assert.ok(pod.terminationGracePeriodSeconds > container.lifecycle.preStop.sleep.seconds + shutdown);

  // The Host guard answers the Service's names and the pod IP (probes, scrapes), POD_IP defined first.
  const hosts = env.CLOUDMCP_ALLOWED_HOSTS.value.split(',');
  assert.ok(hosts.includes(`${name}.${NAMESPACE}.svc`) && hosts.includes('$(POD_IP)'), hosts.join(','));
  const order = container.env.map((variable) => variable.name);
  assert.ok(order.indexOf('POD_IP') < order.indexOf('CLOUDMCP_ALLOWED_HOSTS'));
  assert.equal(env.POD_IP.valueFrom.fieldRef.fieldPath, 'status.podIP');
  assert.equal(env.CLOUDMCP_LOG_FORMAT.value, 'json');

  // A plain ClusterIP Service, port 80 → the container's port named http.
  const service = one('Service');
  assert.equal(service.spec.type, 'ClusterIP');
  assert.deepEqual(
    service.spec.ports.map(({ name: portName, port, targetPort }) => ({ name: portName, port, targetPort })),
    [{ name: 'http', port: 80, targetPort: 'http' }],
  );
  assert.ok(matches(service.spec.selector, podLabels), 'the Service selects the pods');
  assert.equal(service.spec.sessionAffinity, featuresOn ? 'ClientIP' : 'None', 'SSE pins clients');

  const pdb = one('PodDisruptionBudget');
  assert.ok(matches(pdb.spec.selector.matchLabels, podLabels), 'the PDB selects the pods');
  if (featuresOn) assert.deepEqual([pdb.spec.minAvailable, pdb.spec.maxUnavailable], [1, undefined]);
  else assert.deepEqual([pdb.spec.minAvailable, pdb.spec.maxUnavailable], [undefined, 1]);

  // Per server.
  if (server === 'kubernetes') {
    assert.equal(env.KUBERNETES_IN_CLUSTER.value, 'true');
    assert.equal(pod.automountServiceAccountToken, true);
    assert.equal(pod.serviceAccountName, name);
    const binding = one('ClusterRoleBinding');
    assert.deepEqual(binding.roleRef, {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'view',
    });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name, namespace: NAMESPACE }]);
  } else {
    assert.equal(pod.automountServiceAccountToken, false, 'no API token where none is needed');
  }
  if (server === 'cloudeka') {
    assert.equal(env.CLOUDMCP_OAUTH_ISSUER.value, 'https://login.example.com/realms/cloud');
    assert.equal(env.CLOUDMCP_OAUTH_AUDIENCE.value, 'https://mcp.example.com/cloudeka/mcp');
    assert.deepEqual(container.args, ['--read-only']);
    assert.deepEqual(container.envFrom, [{ secretRef: { name: 'cldkctl' } }]);
  }
  if (server === 'cloudstack') {
    assert.equal(env.CLOUDSTACK_API_URL.value, 'https://cloud.example.com/client/api');
    assert.equal(env.CLOUDSTACK_TIMEOUT.value, '60');
    assert.deepEqual(container.envFrom, [{ secretRef: { name: 'cloudstack-credentials' } }]);
  }
  if (server === 'oke') {
    const auth = byKind.get('Secret').find((secret) => secret.metadata.name === `${name}-auth`);
    assert.equal(Buffer.from(auth.data.token, 'base64').toString(), OKE_TOKEN);
    assert.equal(env.OCI_CONFIG_FILE.value, '/etc/cloudmcp/oci/config');
    const mount = container.volumeMounts.find((m) => m.mountPath === '/etc/cloudmcp/oci');
    assert.equal(mount.readOnly, true);
    assert.equal(volumes[mount.name].secret.secretName, 'oci-config');
  }
  if (server === 'ocm') assert.equal(env.KUBECONFIG.value, '/etc/cloudmcp/hub/kubeconfig');

  const renderedDeployment = documents(rendered).find((doc) => /^kind: Deployment$/m.test(doc));
  if (!featuresOn) {
    assert.equal(deployment.spec.replicas, 2);
    assert.equal(env.CLOUDMCP_SSE, undefined);
    return;
  }

  // Every optional object on.
  assert.doesNotMatch(renderedDeployment, /^ {2}replicas:/m, 'the HPA owns the replica count');
  const hpa = one('HorizontalPodAutoscaler');
  assert.deepEqual(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name });
  assert.deepEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [2, 6]);
  assert.deepEqual(hpa.spec.metrics, [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
  ]);

  const monitor = one('ServiceMonitor');
  assert.equal(monitor.metadata.labels.release, 'prometheus');
  assert.ok(matches(monitor.spec.selector.matchLabels, service.metadata.labels), 'it selects the Service');
  assert.deepEqual(monitor.spec.namespaceSelector, { matchNames: [NAMESPACE] });
  assert.deepEqual(monitor.spec.endpoints, [
    {
      port: 'http',
      path: '/metrics',
      scheme: 'http',
      interval: '15s',
      scrapeTimeout: '10s',
      authorization: { type: 'Bearer', credentials: TOKEN_REF[server] },
    },
  ]);

  const policy = one('NetworkPolicy');
  assert.ok(matches(policy.spec.podSelector.matchLabels, podLabels), 'the policy selects the pods');
  assert.deepEqual(policy.spec.policyTypes, ['Ingress']);
  assert.equal(policy.spec.ingress.length, 1);
  assert.deepEqual(policy.spec.ingress[0].ports, [{ port: 'http', protocol: 'TCP' }]);
  assert.equal(policy.spec.ingress[0].from.length, 2);

  assert.equal(one('ServiceAccount').metadata.name, name);
  assert.equal(pod.serviceAccountName, name);
  assert.equal(env.CLOUDMCP_SSE.value, 'true');
  assert.equal(env.CLOUDMCP_ALLOWED_ORIGINS.value, 'https://inspector.example.com');
  assert.ok(hosts.includes('mcp.example.com'));
}

describe('server-side dry-run apply against kube-sim', { skip }, () => {
  for (const server of Object.keys(BINS)) {
    for (const featuresOn of [false, true]) {
      test(`${server}, ${featuresOn ? 'every optional object on' : 'its values'}`, async () => {
        const rendered = await render(server, featuresOn);
        const objects = await dryRunApply(rendered);
        assert.equal(objects.length, documents(rendered).length, 'every rendered object was applied');
        checkRelease(server, featuresOn, objects, rendered);
      });
    }
  }

  test('the dry-run nothing created', async () => {
    const { code, stdout, stderr } = await kubectl(['get', 'all,secrets,pdb', '-n', NAMESPACE, '-o', 'name']);
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      stdout
        .split('\n')
        .filter((line) => !line.includes('kube-root-ca'))
        .filter(Boolean),
      [],
    );
  });

  // The check can fail: kube-sim refuses what a real API server refuses.
  test('a misspelt field in the Deployment is refused', async () => {
    const rendered = (await render('cloudstack', false)).replace(
      'readOnlyRootFilesystem: true',
      'readOnlyRootFilesytem: true',
    );
    const { code, stderr } = await kubectl(
      ['apply', '--server-side', '--dry-run=server', '--field-manager=t', '-f', '-'],
      rendered,
    );
    assert.notEqual(code, 0);
    assert.match(stderr, /securityContext\.readOnlyRootFilesytem: field not declared in schema/);
  });

  test('a field the ServiceMonitor CRD does not have is refused', async () => {
    const rendered = (await render('cloudstack', true)).replace(
      'scheme: http',
      'scheme: http\n      bearerTokn: x',
    );
    const { code, stderr } = await kubectl(
      ['apply', '--server-side', '--dry-run=server', '--field-manager=t', '-f', '-'],
      rendered,
    );
    assert.notEqual(code, 0);
    assert.match(stderr, /bearerTokn: field not declared in schema/);
  });
});

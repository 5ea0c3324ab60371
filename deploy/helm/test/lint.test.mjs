// helm lint --strict of every server's value set (alone and with every optional object on), and what
// `helm template` refuses, with the line it says (the values schema, then the chart's own checks).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CHART, helmTemplate, missingTools, run, scratchHome } from './tools.mjs';

const SERVERS = ['cloudstack', 'cloudeka', 'kubernetes', 'oke', 'ocm'];
const serverValues = (server) => join(CHART, 'ci', `${server}-values.yaml`);
const FEATURES_ON = new URL('./features-on.yaml', import.meta.url).pathname;
const skip = missingTools();
const scratch = scratchHome();
after(scratch.dispose);

describe('helm lint --strict', { skip }, () => {
  for (const server of SERVERS) {
    for (const [variant, values] of [
      ['its values', [serverValues(server)]],
      ['every optional object on', [serverValues(server), FEATURES_ON]],
    ]) {
      test(`${server}, ${variant}`, async () => {
        const args = ['lint', '--strict', CHART, ...values.flatMap((file) => ['--values', file])];
        const { code, stdout, stderr } = await run('helm', args, { home: scratch.home });
        assert.equal(code, 0, `${stdout}${stderr}`);
        assert.match(stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
        assert.doesNotMatch(stdout, /\[(WARNING|ERROR)\]/);
      });
    }
  }
});

describe('helm template refuses', { skip }, () => {
  const refused = [
    ['no authentication at all (the defaults)', [], /auth: the server listens beyond loopback, so it needs/],
    [
      'an unknown server',
      ['server=aws', 'auth.token=0123456789abcdef'],
      /at '\/server': value must be one of 'cloudstack', 'cloudeka', 'kubernetes', 'oke', 'ocm'/,
    ],
    [
      'a misspelt top-level value',
      ['auth.token=0123456789abcdef', 'replicas=3'],
      /additional properties 'replicas' not allowed/,
    ],
    [
      'root',
      ['auth.token=0123456789abcdef', 'securityContext.runAsUser=0'],
      /at '\/securityContext\/runAsUser': minimum: got 0, want 1/,
    ],
    [
      'a token the server would refuse as too short',
      ['auth.token=short'],
      /auth.token: use at least 16 characters/,
    ],
    [
      'token and existing Secret together',
      ['auth.token=0123456789abcdef', 'auth.existingSecret=s'],
      /not both/,
    ],
    [
      'an OAuth issuer without audience',
      ['auth.oauth.issuer=https://id.example.com'],
      /issuer and audience together/,
    ],
    [
      'a credential in plain env',
      ['auth.token=0123456789abcdef', 'env.CLOUDSTACK_API_KEY=k'],
      /env.CLOUDSTACK_API_KEY looks like a credential: put it in a Secret and list that Secret under envFrom/,
    ],
    [
      'a chart-managed variable in env',
      ['auth.token=0123456789abcdef', 'env.CLOUDMCP_HTTP_TOKEN=x'],
      /is set by the chart/,
    ],
    [
      'a grace period the drain does not fit in',
      ['auth.token=0123456789abcdef', 'terminationGracePeriodSeconds=25'],
      /terminationGracePeriodSeconds \(25\) must exceed preStopSleepSeconds \+ http.shutdownTimeoutSeconds \(28\)/,
    ],
    [
      'RBAC for a server that does not talk to Kubernetes',
      ['auth.token=0123456789abcdef', 'rbac.create=true'],
      /cloudstack server does not talk to Kubernetes/,
    ],
    [
      'RBAC bound to the default service account',
      ['server=ocm', 'auth.token=0123456789abcdef', 'rbac.create=true'],
      /not the namespace's default/,
    ],
    [
      'in-cluster for ocm',
      ['server=ocm', 'auth.token=0123456789abcdef', 'inCluster=true'],
      /only the kubernetes and oke servers/,
    ],
    [
      'a ServiceMonitor without a static token to scrape with',
      ['auth.oauth.issuer=https://id.example.com', 'auth.oauth.audience=mcp', 'serviceMonitor.enabled=true'],
      /Prometheus scrapes \/metrics with the static bearer token/,
    ],
  ];
  for (const [what, set, message] of refused) {
    test(what, async () => {
      const { code, stdout, stderr } = await helmTemplate(scratch.home, { namespace: 'mcp', set });
      assert.notEqual(code, 0, `rendered:\n${stdout}`);
      assert.match(stderr, message);
    });
  }

  test('http.bindAddress :: listens on IPv6 (and IPv4: Node binds :: dual-stack)', async () => {
    const set = ['auth.token=0123456789abcdef', 'http.bindAddress=::'];
    const { code, stdout, stderr } = await helmTemplate(scratch.home, { namespace: 'mcp', set });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /command: \["cloudstack-mcp", "--http", "\[::\]:8080"\]/);
  });

  test('OAuth alone is enough to start, and puts issuer and audience in env from values', async () => {
    const set = ['auth.oauth.issuer=https://id.example.com/realm', 'auth.oauth.audience=mcp'];
    const { code, stdout, stderr } = await helmTemplate(scratch.home, { namespace: 'mcp', set });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /- name: CLOUDMCP_OAUTH_ISSUER\n\s+value: "https:\/\/id.example.com\/realm"/);
    assert.match(stdout, /- name: CLOUDMCP_OAUTH_AUDIENCE\n\s+value: "mcp"/);
    assert.doesNotMatch(stdout, /CLOUDMCP_HTTP_TOKEN/);
  });
});

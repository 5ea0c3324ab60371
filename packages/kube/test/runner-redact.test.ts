import { describe, expect, it } from 'vitest';
import { kubeconfigSecrets, redactCliOutput } from '../src/runner/index.js';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoieCJ9.c2lnbmF0dXJlLXZhbHVlLWhlcmU';

const SECRET_YAML = `apiVersion: v1
data:
  password: c3VwZXJzZWNyZXQ=
  username: YWRtaW4=
  tls.crt: |
    LS0tLS1CRUdJTi
    BDRVJUSUZJQ0FURS0tLS0t
kind: Secret
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","data":{"username":"YWRtaW4="},"kind":"Secret","metadata":{"name":"db"}}
  creationTimestamp: "2026-01-01T00:00:00Z"
  name: db
  namespace: default
type: Opaque
`;

describe('Secrets in YAML output', () => {
  it('hides every data value of a Secret and keeps its keys and metadata', () => {
    const out = redactCliOutput(SECRET_YAML);
    expect(out).not.toContain('c3VwZXJzZWNyZXQ=');
    expect(out).not.toContain('YWRtaW4=');
    expect(out).not.toContain('BDRVJUSUZJQ0FURS0tLS0t');
    expect(out).toContain('  password: [REDACTED]\n');
    expect(out).toContain('  username: [REDACTED]\n');
    expect(out).toContain('  tls.crt: [REDACTED]\n');
    expect(out).toContain('    kubectl.kubernetes.io/last-applied-configuration: [REDACTED]\n');
    expect(out).toContain('  name: db\n');
    expect(out).toContain('type: Opaque\n');
    expect(out).toContain('kind: Secret\n');
  });

  it('keeps Secret data with allowSecrets, but not the last-applied copy or tokens elsewhere', () => {
    const out = redactCliOutput(
      `${SECRET_YAML}---\napiVersion: v1\nkind: ConfigMap\ndata:\n  token: ${JWT}\n`,
      {
        allowSecrets: true,
      },
    );
    expect(out).toContain('  password: c3VwZXJzZWNyZXQ=\n');
    expect(out).toContain('  username: YWRtaW4=\n');
    expect(out).toContain('    BDRVJUSUZJQ0FURS0tLS0t\n');
    expect(out).toContain('last-applied-configuration: [REDACTED]');
    expect(out).not.toContain(JWT);
  });

  it('handles List output: only the Secret items lose their data', () => {
    const list = `apiVersion: v1
items:
- apiVersion: v1
  data:
    app.properties: color=blue
  kind: ConfigMap
  metadata:
    name: settings
- apiVersion: v1
  data:
    api-key: QUtJQUlPU0ZPRE5ON0VYQU1QTEU=
  kind: Secret
  metadata:
    name: keys
  type: Opaque
- data:
    other: dmFsdWU=
  kind: Secret
  metadata:
    name: second
kind: List
metadata:
  resourceVersion: ""
`;
    const out = redactCliOutput(list);
    expect(out).toContain('    app.properties: color=blue\n');
    expect(out).toContain('    api-key: [REDACTED]\n');
    expect(out).toContain('    other: [REDACTED]\n');
    expect(out).not.toContain('QUtJQUlPU0ZPRE5ON0VYQU1QTEU=');
    expect(out).not.toContain('dmFsdWU=');
    expect(out).toContain('  name: keys\n');
    expect(out).toContain('kind: List\n');
  });

  it('handles helm template output: documents, comments, quoted kinds, stringData block scalars', () => {
    const rendered = `---
# Source: web/templates/secret.yaml
apiVersion: v1
kind: "Secret"
metadata:
  name: web-env
stringData:
  DATABASE_URL: "postgres://app:hunter2hunter2@db:5432/app"
  config.ini: |
    [db]
    user = app
    pass = hunter2hunter2
  empty: ""
---
# Source: web/templates/deploy.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: web
        image: nginx
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
data:
  greeting: hello
`;
    const out = redactCliOutput(rendered);
    expect(out).not.toContain('hunter2');
    expect(out).toContain('  DATABASE_URL: [REDACTED]\n');
    expect(out).toContain('  config.ini: [REDACTED]\n');
    expect(out).toContain('  empty: ""\n');
    expect(out).toContain('# Source: web/templates/deploy.yaml\n');
    expect(out).toContain('        image: nginx\n');
    expect(out).toContain('  greeting: hello\n');
  });

  it('finds data above or below kind, in an indented list item', () => {
    const out = redactCliOutput(`items:
  - kind: Secret
    data:
      a: YQ==
      b: >-
        Yg==
  - kind: ConfigMap
    data:
      a: keep
`);
    expect(out).toBe(`items:
  - kind: Secret
    data:
      a: [REDACTED]
      b: [REDACTED]
  - kind: ConfigMap
    data:
      a: keep
`);
  });

  it('hides flow-style data', () => {
    expect(redactCliOutput('kind: Secret\ndata: {a: YQ==, b: Yg==}\n')).toBe(
      'kind: Secret\ndata: [REDACTED]\n',
    );
    expect(redactCliOutput('kind: Secret\ndata: {}\n')).toBe('kind: Secret\ndata: {}\n');
  });
});

describe('Secrets in JSON output', () => {
  const secret = {
    apiVersion: 'v1',
    data: { password: 'c3VwZXJzZWNyZXQ=', username: 'YWRtaW4=' },
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'default' },
    type: 'Opaque',
  };

  it('redacts a Secret structurally, keeping kubectl’s 4-space layout', () => {
    const out = redactCliOutput(`${JSON.stringify(secret, null, 4)}\n`);
    expect(JSON.parse(out)).toEqual({ ...secret, data: { password: '[REDACTED]', username: '[REDACTED]' } });
    expect(out).toContain('\n    "data": {\n        "password": "[REDACTED]"');
    expect(out.endsWith('}\n')).toBe(true);
  });

  it('keeps data with allowSecrets', () => {
    expect(JSON.parse(redactCliOutput(JSON.stringify(secret), { allowSecrets: true }))).toEqual(secret);
  });

  it('redacts Secret items of a List and of a SecretList (get --raw)', () => {
    const list = { kind: 'List', items: [secret, { kind: 'ConfigMap', data: { a: 'keep' } }] };
    const out = JSON.parse(redactCliOutput(JSON.stringify(list, null, 4)));
    expect(out.items[0].data).toEqual({ password: '[REDACTED]', username: '[REDACTED]' });
    expect(out.items[1].data).toEqual({ a: 'keep' });
    const raw = { kind: 'SecretList', items: [{ ...secret, kind: undefined }] };
    expect(redactCliOutput(JSON.stringify(raw))).not.toContain('c3VwZXJzZWNyZXQ=');
  });

  it('handles a watch stream of JSON objects', () => {
    const stream = `${JSON.stringify(secret, null, 4)}\n${JSON.stringify({ ...secret, data: { k: 'dmFs' } }, null, 4)}\n`;
    const out = redactCliOutput(stream);
    expect(out).not.toContain('c3VwZXJzZWNyZXQ=');
    expect(out).not.toContain('dmFs');
    expect(out.split('"kind": "Secret"')).toHaveLength(3);
  });

  it('leaves JSON without secrets byte for byte', () => {
    const text = '{\n    "kind": "Pod",\n    "spec": {"n": 12345678901234567890}\n}\n';
    expect(redactCliOutput(text)).toBe(text);
  });

  it('still hides the data values of JSON cut in the middle', () => {
    const cut = JSON.stringify({ items: [secret, secret] }, null, 4).slice(0, 400);
    const out = redactCliOutput(cut);
    expect(out).not.toContain('c3VwZXJzZWNyZXQ=');
    expect(out).not.toContain('YWRtaW4=');
    expect(out).toContain('"username": "[REDACTED]"');
  });
});

describe('text redaction and known secrets', () => {
  it('redacts tokens, bearer headers and private keys in logs', () => {
    const log = [
      `I0101 request.go:1] Authorization: Bearer ${JWT}`,
      `token=${JWT}`,
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEA1234567890',
      '-----END RSA PRIVATE KEY-----',
      'pod/web-1 condition met',
    ].join('\n');
    const out = redactCliOutput(log);
    expect(out).not.toContain(JWT);
    expect(out).not.toContain('MIIEowIBAAKCAQEA1234567890');
    expect(out).toContain('pod/web-1 condition met');
  });

  it('hides the exact credentials of the kubeconfig wherever they appear', () => {
    const out = redactCliOutput('error: the server rejected opaque-token-value-123 for user x', {
      knownSecrets: ['opaque-token-value-123', 'short'],
    });
    expect(out).toBe('error: the server rejected [REDACTED] for user x');
  });

  it('reads the credentials of a kubeconfig', () => {
    const kubeconfig = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    server: https://127.0.0.1:6443
  name: c
users:
- name: a
  user:
    token: "opaque-token-value-123"
- name: b
  user:
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==
    password: hunter2hunter2
    username: admin
- name: c
  user:
    exec:
      command: aws
      env:
      - name: AWS_SECRET_ACCESS_KEY
        value: wJalrXUtnFEMI/K7MDENG
      - name: AWS_REGION
        value: eu-central-1
`;
    expect(kubeconfigSecrets(kubeconfig).sort()).toEqual(
      [
        'opaque-token-value-123',
        'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==',
        'hunter2hunter2',
        'wJalrXUtnFEMI/K7MDENG',
      ].sort(),
    );
  });
});

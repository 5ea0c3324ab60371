import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redact, redactText } from '../src/index.js';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpkZWZhdWx0In0.c2lnbmF0dXJlLWJ5dGVz_-x';
const PEM_KEY = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
].join('\n');
const PEM_CERT = [
  '-----BEGIN CERTIFICATE-----',
  'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ',
  '-----END CERTIFICATE-----',
].join('\n');

describe('isSecretKey', () => {
  const secrets = [
    'password',
    'Password',
    'passwd',
    'pass',
    'secret',
    'secretkey',
    'secretKey',
    'secret_key',
    'SECRET-KEY',
    'clientSecret',
    'client_secret',
    'token',
    'accessToken',
    'access_token',
    'refresh-token',
    'id_token',
    'idToken',
    'sessionkey',
    'sessionKey',
    'apikey',
    'apiKey',
    'api_key',
    'API-KEY',
    'privatekey',
    'private_key',
    'privateKey',
    'authorization',
    'Authorization',
    'cookie',
    'set-cookie',
    'Set-Cookie',
    'client-key-data',
    'token-data',
    'credentials',
    'JSESSIONID',
    'bearer',
    'x-auth-token',
    'X-Auth-Token',
    'kubeconfig',
    'pass_phrase',
    'adminPassword',
    'DB_PASSWORD',
    'new_password',
    'webhookSecret',
    'GITHUB_TOKEN',
    'AWS_SECRET_ACCESS_KEY',
    'CLOUDSTACK_SECRET_KEY',
    'x-api-key',
    'userCredentials',
  ];
  const innocent = [
    'publickey',
    'publicKey',
    'fingerprint',
    'keypair',
    'keyPair',
    'passwordenabled',
    'passwordEnabled',
    'tokenexpiry',
    'tokenExpiry',
    'expires_at',
    'secretName',
    'secretRef',
    'secretKeyRef',
    'isdynamicallyscalable',
    'token_id',
    'tokenVersion',
    'nextPageToken',
    'continueToken',
    'sshkeyenabled',
    'kmsKeyId',
    'key',
    'name',
    'bypass',
    'tokens',
    'secrets',
    'client-certificate-data',
    'certificate-authority-data',
  ];
  it.each(secrets)('%s is a credential key', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });
  it.each(innocent)('%s is not a credential key', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });
});

describe('redact: credential keys', () => {
  it('hides the value at any depth, case-insensitively, keeping the shape of objects and arrays', () => {
    const input = {
      user: { name: 'admin', Password: 'hunter2', apiKey: 12345, credentials: { user: 'u', key: 'k' } },
      list: [{ 'X-Auth-Token': ['a', 'b'] }, { sessionkey: 'abc' }],
      headers: { Authorization: 'Basic dXNlcjpwYXNz', 'set-cookie': 'JSESSIONID=1; Path=/', Cookie: 'a=b' },
      kubeconfig: 'apiVersion: v1\nkind: Config',
    };
    expect(redact(input)).toEqual({
      user: {
        name: 'admin',
        Password: REDACTED,
        apiKey: REDACTED,
        credentials: { user: REDACTED, key: REDACTED },
      },
      list: [{ 'X-Auth-Token': [REDACTED, REDACTED] }, { sessionkey: REDACTED }],
      headers: { Authorization: REDACTED, 'set-cookie': REDACTED, Cookie: REDACTED },
      kubeconfig: REDACTED,
    });
  });

  it('keeps the CloudStack look-alikes of a virtual machine', () => {
    const vm = {
      id: '4f3c',
      passwordenabled: true,
      isdynamicallyscalable: false,
      keypair: 'ops-key',
      publickey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG7',
      fingerprint: '3c:91:aa:0e',
      tokenexpiry: '2025-01-01T00:00:00Z',
      expires_at: 1735689600,
      password: 'Xk9-generated',
    };
    expect(redact(vm)).toEqual({ ...vm, password: REDACTED });
  });

  it('keeps booleans, null and undefined under credential keys', () => {
    expect(redact({ secret: true, token: false, password: null, apikey: undefined })).toEqual({
      secret: true,
      token: false,
      password: null,
      apikey: undefined,
    });
  });

  it('redacts a kubeconfig object: tokens, client keys and auth-provider secrets, not certificates', () => {
    const kubeconfig = {
      clusters: [
        { name: 'c', cluster: { server: 'https://k:6443', 'certificate-authority-data': 'LS0tQ0E=' } },
      ],
      users: [
        {
          name: 'u',
          user: {
            'client-certificate-data': 'LS0tQ0VSVA==',
            'client-key-data': 'LS0tS0VZ',
            token: 'sha256~abc',
            'auth-provider': { config: { 'id-token': 'x', 'refresh-token': 'y', 'client-id': 'kubectl' } },
            exec: { command: 'aws', env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalr' }] },
          },
        },
      ],
    };
    expect(redact(kubeconfig)).toEqual({
      clusters: kubeconfig.clusters,
      users: [
        {
          name: 'u',
          user: {
            'client-certificate-data': 'LS0tQ0VSVA==',
            'client-key-data': REDACTED,
            token: REDACTED,
            'auth-provider': {
              config: { 'id-token': REDACTED, 'refresh-token': REDACTED, 'client-id': 'kubectl' },
            },
            exec: { command: 'aws', env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: REDACTED }] },
          },
        },
      ],
    });
  });

  it('redacts container env values whose name is a credential, and keeps references to secrets', () => {
    const spec = {
      containers: [
        {
          name: 'app',
          env: [
            { name: 'DB_PASSWORD', value: 's3cret' },
            { name: 'SECRET_NAME', value: 'db-creds' },
            { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'token' } } },
            { name: 'LOG_LEVEL', value: 'debug' },
          ],
          envFrom: [{ secretRef: { name: 'app-env' } }],
        },
      ],
      volumes: [
        { name: 'certs', secret: { secretName: 'tls', items: [{ key: 'tls.crt', path: 'tls.crt' }] } },
        { name: 'sa', projected: { sources: [{ serviceAccountToken: { audience: 'api', path: 'token' } }] } },
      ],
      imagePullSecrets: [{ name: 'registry' }],
      automountServiceAccountToken: false,
    };
    const out = redact(spec);
    expect(out.containers[0]!.env).toEqual([
      { name: 'DB_PASSWORD', value: REDACTED },
      { name: 'SECRET_NAME', value: 'db-creds' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'token' } } },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
    expect(out.containers[0]!.envFrom).toEqual(spec.containers[0]!.envFrom);
    expect(out.volumes).toEqual(spec.volumes);
    expect(out.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(out.automountServiceAccountToken).toBe(false);
  });

  it('hides every leaf of an object under a credential key when it is more than a reference', () => {
    expect(redact({ secret: { name: 'x', value: 'y' } })).toEqual({
      secret: { name: REDACTED, value: REDACTED },
    });
    expect(
      redact({ credentials: { name: 'bob', key: 'AKIA', nested: [{ pin: 1234, on: true, n: null }] } }),
    ).toEqual({
      credentials: { name: REDACTED, key: REDACTED, nested: [{ pin: REDACTED, on: true, n: null }] },
    });
    class Opaque {
      constructor(readonly k: string) {}
    }
    expect(redact({ token: new Opaque('x'), password: new Date(0) })).toEqual({
      token: REDACTED,
      password: REDACTED,
    });
  });
});

describe('redact: Kubernetes Secrets', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db',
      namespace: 'prod',
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration':
          '{"apiVersion":"v1","data":{"username":"YWRtaW4="}}',
        team: 'data',
      },
    },
    type: 'Opaque',
    data: { username: 'YWRtaW4=', 'tls.crt': 'LS0t' },
    stringData: { note: 'plain' },
  };

  it('keeps the keys of data and stringData and hides every value', () => {
    expect(redact(secret)).toEqual({
      ...secret,
      metadata: {
        ...secret.metadata,
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': REDACTED, team: 'data' },
      },
      data: { username: REDACTED, 'tls.crt': REDACTED },
      stringData: { note: REDACTED },
    });
  });

  it('keeps data values with allowSecrets, but never the credential keys elsewhere', () => {
    const out = redact(
      { ...secret, metadata: { ...secret.metadata, password: 'x' } },
      { allowSecrets: true },
    );
    expect(out.data).toEqual({ username: 'YWRtaW4=', 'tls.crt': 'LS0t' });
    expect(out.stringData).toEqual({ note: 'plain' });
    expect(out.metadata.password).toBe(REDACTED);
    expect(redact({ password: 'x', token: 'y' }, { allowSecrets: true })).toEqual({
      password: REDACTED,
      token: REDACTED,
    });
  });

  it('recognises the items of a SecretList, which carry no kind', () => {
    const list = {
      kind: 'SecretList',
      apiVersion: 'v1',
      items: [{ metadata: { name: 'a' }, data: { 'config.json': 'e30=' } }],
    };
    expect(redact(list).items).toEqual([{ metadata: { name: 'a' }, data: { 'config.json': REDACTED } }]);
  });

  it('recognises a Secret without kind by its type', () => {
    const s = {
      metadata: { name: 'r' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': 'e30=' },
    };
    expect(redact(s).data).toEqual({ '.dockerconfigjson': REDACTED });
  });

  it('leaves ConfigMap data alone (except credential keys)', () => {
    const cm = { kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'app.mode': 'prod', password: 'x' } };
    expect(redact(cm).data).toEqual({ 'app.mode': 'prod', password: REDACTED });
  });
});

describe('redact: copying', () => {
  it('never mutates its input', () => {
    const input = { password: 'p', nested: { token: 't', list: ['Bearer abcdef123456'] } };
    const snapshot = structuredClone(input);
    const out = redact(input);
    expect(input).toEqual(snapshot);
    expect(out).not.toBe(input);
    expect(out.nested).not.toBe(input.nested);
    expect(out.nested.list).toEqual([`Bearer ${REDACTED}`]);
  });

  it('is safe with cycles and keeps shared references shared', () => {
    const shared = { token: 't' };
    const input: Record<string, unknown> = { a: shared, b: shared };
    input.self = input;
    const out = redact(input);
    expect(out.self).toBe(out);
    expect(out.a).toBe(out.b);
    expect(out.a).toEqual({ token: REDACTED });
  });

  it('keeps primitives, dates and class instances', () => {
    class Model {
      constructor(
        public name: string,
        public secretKey: string,
      ) {}
    }
    const date = new Date(0);
    const out = redact({ n: 1, d: date, m: new Model('m', 'k') });
    expect(out.n).toBe(1);
    expect(out.d).toBe(date);
    expect(out.m).toBeInstanceOf(Model);
    expect(out.m).toEqual(new Model('m', REDACTED));
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBe(null);
  });

  it('redacts the message of an Error without touching the original', () => {
    const error = new Error('login failed: password=hunter2');
    const out = redact(error);
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toBe(`login failed: password=${REDACTED}`);
    expect(error.message).toBe('login failed: password=hunter2');
  });

  it('redacts strings anywhere in the structure, also JSON documents held in strings', () => {
    const deployment = {
      kind: 'Deployment',
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            spec: { env: [{ name: 'DB_PASSWORD', value: 'p' }], replicas: 2 },
          }),
        },
      },
      message: `token ${JWT}`,
    };
    const out = redact(deployment);
    expect(JSON.parse(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])).toEqual({
      spec: { env: [{ name: 'DB_PASSWORD', value: REDACTED }], replicas: 2 },
    });
    expect(out.message).toBe(`token ${REDACTED}`);
    const unchanged = '{"spec":{"replicas":2}}';
    expect(redact({ s: unchanged }).s).toBe(unchanged);
  });
});

describe('redactText', () => {
  it('hides JWTs', () => {
    expect(redactText(`Authorization failed for ${JWT}.`)).toBe(`Authorization failed for ${REDACTED}.`);
    expect(redactText(`"token":"${JWT}"`)).toBe(`"token":"${REDACTED}"`);
  });

  it('hides PEM private key blocks of every flavour, across lines', () => {
    expect(redactText(`key:\n${PEM_KEY}\nend`)).toBe(
      `key:\n-----BEGIN RSA PRIVATE KEY-----${REDACTED}-----END RSA PRIVATE KEY-----\nend`,
    );
    const openssh =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----';
    expect(redactText(openssh)).toBe(
      `-----BEGIN OPENSSH PRIVATE KEY-----${REDACTED}-----END OPENSSH PRIVATE KEY-----`,
    );
    const pkcs8 = '-----BEGIN PRIVATE KEY-----\\nMIIEvQ==\\n-----END PRIVATE KEY-----';
    expect(redactText(pkcs8)).toBe(`-----BEGIN PRIVATE KEY-----${REDACTED}-----END PRIVATE KEY-----`);
  });

  it('hides a private key whose END line was cut off', () => {
    expect(redactText('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIO2k+/abc=\nMore')).toBe(
      `-----BEGIN EC PRIVATE KEY-----${REDACTED}`,
    );
  });

  it('handles many BEGIN lines without END in one pass', () => {
    const hostile = '-----BEGIN RSA PRIVATE KEY-----'.repeat(20_000);
    expect(redactText(hostile)).toBe(`-----BEGIN RSA PRIVATE KEY-----${REDACTED}`);
  });

  it('keeps certificates, which are public', () => {
    expect(redactText(PEM_CERT)).toBe(PEM_CERT);
    expect(redactText(`${PEM_CERT}\n${PEM_KEY}`)).toBe(
      `${PEM_CERT}\n-----BEGIN RSA PRIVATE KEY-----${REDACTED}-----END RSA PRIVATE KEY-----`,
    );
  });

  it('hides bearer tokens but not the word bearer in prose', () => {
    expect(redactText('curl -H "X: Bearer abc123.def-456"')).toBe(`curl -H "X: Bearer ${REDACTED}"`);
    expect(redactText('bearer sk_live_51HabcdefGHIJ')).toBe(`bearer ${REDACTED}`);
    expect(redactText('Send a Bearer token; Bearer authentication is required')).toBe(
      'Send a Bearer token; Bearer authentication is required',
    );
  });

  it('hides cldkctl tokens but not cldkctl names', () => {
    expect(redactText('using cldkctl_9fK2aQ7LmZ3xW8pR1tY6 now')).toBe(`using cldkctl_${REDACTED} now`);
    const names = 'pq: relation "cldkctl_tokens" does not exist; see mcp_cldkctl_cldkctl_token_update';
    expect(redactText(names)).toBe(names);
  });

  it('hides credential URL query parameters and keeps the others', () => {
    const url =
      'https://cs.example/client/api?command=listVirtualMachines&apikey=abc&response=json' +
      '&signatureversion=3&expires=2025-01-01&signature=x%2By%3D';
    expect(redactText(url)).toBe(
      'https://cs.example/client/api?command=listVirtualMachines&apikey=[REDACTED]&response=json' +
        '&signatureversion=3&expires=2025-01-01&signature=[REDACTED]',
    );
    expect(redactText('/login?sessionkey=Zx1&password=p&token=t&page=2')).toBe(
      '/login?sessionkey=[REDACTED]&password=[REDACTED]&token=[REDACTED]&page=2',
    );
  });

  it('hides Authorization header lines whatever the scheme', () => {
    expect(redactText('GET /api HTTP/1.1\nAuthorization: Basic dXNlcjpwYXNz\nHost: x')).toBe(
      `GET /api HTTP/1.1\nAuthorization: ${REDACTED}\nHost: x`,
    );
    expect(redactText('authorization: Bearer abc123def456')).toBe(`authorization: ${REDACTED}`);
    expect(redactText("curl -H 'Proxy-Authorization: Digest u=1' x")).toBe(
      `curl -H 'Proxy-Authorization: ${REDACTED}' x`,
    );
  });

  it('hides password= and secretkey= pairs in free text, and env lines', () => {
    expect(redactText('login user=admin password=hunter2 zone=1')).toBe(
      `login user=admin password=${REDACTED} zone=1`,
    );
    expect(redactText('secretkey=ZmFrZQ== apikey="a b"')).toBe(`secretkey=${REDACTED} apikey=${REDACTED}`);
    expect(redactText('export CLOUDSTACK_SECRET_KEY=abc\nexport CLOUDSTACK_API_URL=http://x')).toBe(
      `export CLOUDSTACK_SECRET_KEY=${REDACTED}\nexport CLOUDSTACK_API_URL=http://x`,
    );
    expect(redactText('--password=p --db.password=q')).toBe(
      `--password=${REDACTED} --db.password=${REDACTED}`,
    );
  });

  it('hides JSON string members and YAML lines with credential keys', () => {
    expect(redactText('{"username":"u","password":"p\\"q","apiKey":"k"}')).toBe(
      `{"username":"u","password":"${REDACTED}","apiKey":"${REDACTED}"}`,
    );
    expect(redactText('users:\n- name: u\n  user:\n    token: abc\n    client-key-data: LS0t\n')).toBe(
      `users:\n- name: u\n  user:\n    token: ${REDACTED}\n    client-key-data: ${REDACTED}\n`,
    );
  });

  it('hides single-quoted pairs (Python reprs printed by CLIs)', () => {
    expect(redactText("{'code': 'NotAuthenticated', 'pass_phrase': 'pp', 'key_file': '~/.oci/k.pem'}")).toBe(
      `{'code': 'NotAuthenticated', 'pass_phrase': '${REDACTED}', 'key_file': '~/.oci/k.pem'}`,
    );
  });

  it('hides YAML block scalars under credential keys, down to the next key', () => {
    const yaml = [
      'stringData:',
      '  ssh-privatekey: |',
      '    line one',
      '',
      '    line two',
      '  username: admin',
      '- password: >-',
      '    folded',
      'notes: |',
      '  public text',
    ].join('\n');
    expect(redactText(yaml)).toBe(
      [
        'stringData:',
        '  ssh-privatekey: |',
        `    ${REDACTED}`,
        '  username: admin',
        '- password: >-',
        `    ${REDACTED}`,
        'notes: |',
        '  public text',
      ].join('\n'),
    );
  });

  it('keeps look-alikes in text', () => {
    const text = [
      'passwordenabled=true tokenexpiry=2025-01-01 secretName=db publickey=ssh-rsa keypair=k fingerprint=aa:bb',
      'password=true token=',
      'passwordenabled: true',
      'secretRef: app-env',
      'token:',
      '  audience: api',
      'password: |',
      'signatureversion=3',
      'The password must be 8 characters.',
      'Invalid token: expired',
    ].join('\n');
    expect(redactText(text)).toBe(text);
  });

  it('changes nothing more when applied twice', () => {
    const samples = [
      `Authorization: Bearer ${JWT}`,
      PEM_KEY,
      '?apikey=abc&signature=x',
      'password=hunter2',
      '{"token":"t"}',
      'token: abc',
      'cldkctl_9fK2aQ7LmZ3xW8pR1tY6',
      'Bearer abcdef123456',
      "{'password': 'p'}",
      'password: |\n  hunter2\nuser: u',
    ];
    for (const sample of samples) {
      const once = redactText(sample);
      expect(once).not.toBe(sample);
      expect(redactText(once)).toBe(once);
    }
  });
});

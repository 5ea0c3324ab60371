/**
 * Hostile kubeconfigs, each in several spellings (YAML, JSON, standard and URL-safe base64, wrapped base64):
 * every one is refused with the field named and no secret in the message. Then what is accepted: exactly
 * the allowlisted fields, read the same way by JSON, js-yaml, `yaml` and (when present) kubectl's go-yaml.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  kubeconfigText,
  MAX_UNTRUSTED_KUBECONFIG,
  parseUntrustedKubeconfig,
  rebuildKubeconfig,
  UntrustedKubeconfigError,
} from '../src/kubeconfig/index.js';
import { type KubeconfigDocument, KubeTargets } from '../src/targets.js';

const here = dirname(fileURLToPath(import.meta.url));
// js-yaml is what client-node parses kubeconfigs with; reach the copy it uses.
const clientNodeDir = realpathSync(join(here, '..', 'node_modules', '@kubernetes', 'client-node'));
const jsYaml = createRequire(join(clientNodeDir, 'package.json'))('js-yaml') as {
  load(text: string): unknown;
};
const KUBECTL = join(here, '..', '..', '..', '.bin-cache', 'kubectl');

const TOKEN = 'sekret-TOKEN-7f3a9c';
const PASSWORD = 'hunter2-PASSWORD-55';
const KEY_BODY = Buffer.from('S3CR3T-KEY-MATERIAL-0001-abcdef').toString('base64');
const CERT_PEM = `-----BEGIN CERTIFICATE-----\n${Buffer.from('fake certificate der').toString('base64')}\n-----END CERTIFICATE-----\n`;
const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`;
const CERT_DATA = Buffer.from(CERT_PEM).toString('base64');
const KEY_DATA = Buffer.from(KEY_PEM).toString('base64');
const EXEC = {
  command: '/bin/sh',
  args: ['-c', 'touch /tmp/pwned-marker'],
  apiVersion: 'client.authentication.k8s.io/v1',
};
/** Nothing of these may appear in an error message. */
const SECRETS = [TOKEN, PASSWORD, KEY_BODY, KEY_DATA, 'pwned-marker', 'S3CR3T', '/etc/shadow'];

// biome-ignore lint/suspicious/noExplicitAny: each case patches the document freely, hostile shapes included
type Doc = Record<string, any>;

/** A valid kubeconfig as an object; `patch` changes it for one case. */
function base(patch: (doc: Doc) => void = () => {}): Doc {
  const doc: Doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'c1',
        cluster: { server: 'https://k8s.example:6443', 'certificate-authority-data': CERT_DATA },
      },
    ],
    users: [{ name: 'u1', user: { token: TOKEN } }],
    contexts: [{ name: 'ctx', context: { cluster: 'c1', user: 'u1', namespace: 'team-a' } }],
    'current-context': 'ctx',
  };
  patch(doc);
  return doc;
}

/** The text forms of a document object: YAML block, JSON compact and indented. */
function texts(doc: unknown): string[] {
  return [stringifyYaml(doc), JSON.stringify(doc), JSON.stringify(doc, null, 2)];
}

/** Each text as is, as standard base64, URL-safe base64 without padding, and base64 wrapped at 76. */
function spellings(text: string): string[] {
  const b64 = Buffer.from(text).toString('base64');
  return [text, b64, Buffer.from(text).toString('base64url'), b64.replace(/(.{76})/g, '$1\n')];
}

function refusal(value: string): string {
  try {
    parseUntrustedKubeconfig(value);
  } catch (error) {
    expect(error).toBeInstanceOf(UntrustedKubeconfigError);
    return (error as Error).message;
  }
  throw new Error('accepted a hostile kubeconfig');
}

/** Every spelling of every text is refused with a message matching `field` and holding no secret. */
function expectRefused(sources: string[], field: RegExp): void {
  for (const text of sources) {
    for (const value of spellings(text)) {
      const message = refusal(value);
      expect(message).toMatch(field);
      for (const secret of SECRETS) expect(message).not.toContain(secret);
    }
  }
}

const VALID_YAML = stringifyYaml(base());
/** The valid document's users list, indented for the hand-written YAML below. */
const CLUSTERS_CONTEXTS = `clusters:
- name: c1
  cluster: {server: "https://k8s.example:6443"}
contexts:
- name: ctx
  context: {cluster: c1, user: u1}
`;

interface Case {
  name: string;
  sources: string[];
  field: RegExp;
}

/** Hand-written YAML: the constructs that differ between YAML readers. */
const SYNTAX_CASES: Case[] = [
  {
    name: 'exec through a merge key from an anchor (<<: *base)',
    sources: [
      `${CLUSTERS_CONTEXTS}x-base: &base\n  exec: {command: /bin/sh, args: [-c, "touch /tmp/pwned-marker"]}\nusers:\n- name: u1\n  user:\n    <<: *base\n    token: ${TOKEN}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u0\n  user: &base {exec: {command: /bin/sh}}\n- name: u1\n  user:\n    <<: *base\n`,
    ],
    field: /(x-base|users\[0\]\.user) has an anchor/,
  },
  {
    name: 'exec through a merge key without an anchor (<<: {exec})',
    sources: [
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user:\n    token: ${TOKEN}\n    <<: {exec: {command: /bin/sh, args: [-c, "touch /tmp/pwned-marker"]}}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user:\n    <<: [{exec: {command: /bin/sh}}]\n`,
    ],
    field: /users\[0\]\.user has a merge key \(<<\)/,
  },
  {
    name: 'exec through an alias',
    sources: [
      `x: &e {exec: {command: /bin/sh, args: [-c, "touch /tmp/pwned-marker"]}}\n${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: *e\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {token: ${TOKEN}}\n- name: u2\n  user: *e\n`,
    ],
    field: /(x has an anchor|users\[1\]\.user is an alias)/,
  },
  {
    name: 'exec through a !!merge tagged key',
    sources: [
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user:\n    !!merge m: {exec: {command: /bin/sh}}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user:\n    ? !!merge <<\n    : {exec: {command: /bin/sh, args: [-c, "touch /tmp/pwned-marker"]}}\n`,
    ],
    field: /users\[0\]\.user has a key with an anchor or tag/,
  },
  {
    name: 'a duplicate user: key whose second value carries exec',
    sources: [
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {token: ${TOKEN}}\n  user: {exec: {command: /bin/sh, args: [-c, "touch /tmp/pwned-marker"]}}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {token: ${TOKEN}}\n  "user": {exec: {command: /bin/sh}}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {token: ${TOKEN}}\n  'user': {exec: {command: /bin/sh}}\n`,
    ],
    field: /users\[0\]\.user is given twice \(duplicate key\)/,
  },
  {
    name: 'a duplicate key inside the user body',
    sources: [
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user:\n    token: ${TOKEN}\n    token: other-${TOKEN}\n`,
    ],
    field: /users\[0\]\.user\.token is given twice/,
  },
  {
    name: 'exec under an explicit tag (!!map, !!str, a local tag)',
    sources: [
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: !!map {exec: {command: /bin/sh}}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {token: !!str ${TOKEN}}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: !<tag:yaml.org,2002:map> {exec: {command: /bin/sh}}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: !local {exec: {command: /bin/sh}}\n`,
    ],
    field: /users\[0\]\.user(\.token)? has an explicit tag/,
  },
  {
    name: 'JSON with a duplicate user key',
    sources: [
      `{"apiVersion":"v1","clusters":[{"name":"c1","cluster":{"server":"https://k8s.example:6443"}}],"users":[{"name":"u1","user":{"token":"${TOKEN}"},"user":{"exec":{"command":"/bin/sh","args":["-c","touch /tmp/pwned-marker"]}}}],"contexts":[{"name":"ctx","context":{"cluster":"c1","user":"u1"}}]}`,
      `{"users":[{"name":"u1","user":{"token":"${TOKEN}"}}],"users":[{"name":"u1","user":{"exec":{"command":"/bin/sh"}}}]}`,
    ],
    field: /users(\[0\]\.user)? is given twice/,
  },
  {
    name: 'JSON spelling exec with \\u escapes',
    sources: [
      `{"clusters":[{"name":"c1","cluster":{"server":"https://k8s.example:6443"}}],"users":[{"name":"u1","user":{"\\u0065xec":{"command":"/bin/sh","args":["-c","touch /tmp/pwned-marker"]}}}],"contexts":[{"name":"ctx","context":{"cluster":"c1","user":"u1"}}]}`,
      `{"clusters":[{"name":"c1","cluster":{"server":"https://k8s.example:6443"}}],"users":[{"name":"u1","user":{"\\u0074oken\\u0046ile":"/etc/shadow"}}],"contexts":[{"name":"ctx","context":{"cluster":"c1","user":"u1"}}]}`,
    ],
    field: /users\[0\]\.user\.(exec|tokenFile) is not accepted here/,
  },
  {
    name: 'a multi-document stream whose second document carries exec',
    sources: [
      `${VALID_YAML}---\n${stringifyYaml(base((d) => (d.users[0].user = { exec: EXEC })))}`,
      `---\n${VALID_YAML}...\n---\nusers: [{name: u1, user: {exec: {command: /bin/sh}}}]\n`,
    ],
    field: /several YAML documents/,
  },
  {
    name: 'a %YAML 1.1 or %TAG directive',
    sources: [`%YAML 1.1\n---\n${VALID_YAML}`, `%TAG !e! tag:evil.example,2024:\n---\n${VALID_YAML}`],
    field: /directives/,
  },
  {
    name: 'keys that are not strings',
    sources: [
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {1: x}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {true: x}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {~: x}\n`,
      `${CLUSTERS_CONTEXTS}users:\n- name: u1\n  user: {? [exec] : x}\n`,
    ],
    field: /users\[0\]\.user has a key that is not a string/,
  },
  {
    name: 'text that is not YAML, or base64 of something that is not text',
    sources: [`users: [unclosed\n  - "x`, `{"users": [}`],
    field: /not valid YAML/,
  },
];

/** Field-level cases: built as objects, spelled as YAML and JSON. */
const FIELD_CASES: Array<{ name: string; patch: (doc: Doc) => void; field: RegExp }> = [
  {
    name: 'exec',
    patch: (d) => (d.users[0].user.exec = EXEC),
    field: /users\[0\]\.user\.exec is not accepted here \(exec plugins/,
  },
  {
    name: 'exec on a second user',
    patch: (d) => d.users.push({ name: 'u2', user: { exec: EXEC } }),
    field: /users\[1\]\.user\.exec is not accepted/,
  },
  {
    name: 'Exec spelled with a capital (Go JSON matches keys case-insensitively)',
    patch: (d) => (d.users[0].user.Exec = EXEC),
    field: /users\[0\]\.user\.Exec is not accepted/,
  },
  {
    name: 'tokenFile',
    patch: (d) => (d.users[0].user.tokenFile = '/etc/shadow'),
    field: /users\[0\]\.user\.tokenFile is not accepted here \(file references/,
  },
  {
    name: 'token-file',
    patch: (d) => (d.users[0].user['token-file'] = '/etc/shadow'),
    field: /users\[0\]\.user\.token-file is not accepted/,
  },
  {
    name: 'client-key path',
    patch: (d) => (d.users[0].user['client-key'] = '/etc/shadow'),
    field: /users\[0\]\.user\.client-key is not accepted/,
  },
  {
    name: 'client-certificate path',
    patch: (d) => (d.users[0].user['client-certificate'] = '/etc/shadow'),
    field: /users\[0\]\.user\.client-certificate is not accepted/,
  },
  {
    name: 'certificate-authority path',
    patch: (d) => (d.clusters[0].cluster['certificate-authority'] = '/etc/shadow'),
    field: /clusters\[0\]\.cluster\.certificate-authority is not accepted/,
  },
  {
    name: 'auth-provider',
    patch: (d) =>
      (d.users[0].user['auth-provider'] = { name: 'gcp', config: { 'cmd-path': '/tmp/pwned-marker' } }),
    field: /users\[0\]\.user\.auth-provider is not accepted here \(auth providers/,
  },
  {
    name: 'username and password',
    patch: (d) => Object.assign(d.users[0].user, { username: 'admin', password: PASSWORD }),
    field: /users\[0\]\.user\.username is not accepted here \(basic authentication/,
  },
  {
    name: 'password alone',
    patch: (d) => (d.users[0].user.password = PASSWORD),
    field: /users\[0\]\.user\.password is not accepted/,
  },
  {
    name: 'insecure-skip-tls-verify: true',
    patch: (d) => (d.clusters[0].cluster['insecure-skip-tls-verify'] = true),
    field: /clusters\[0\]\.cluster\.insecure-skip-tls-verify is not accepted/,
  },
  {
    name: 'proxy-url',
    patch: (d) => (d.clusters[0].cluster['proxy-url'] = 'http://169.254.169.254/'),
    field: /clusters\[0\]\.cluster\.proxy-url is not accepted here \(proxies/,
  },
  {
    name: 'extensions at the top',
    patch: (d) => (d.extensions = [{ name: 'x', extension: { exec: EXEC } }]),
    field: /^extensions is not accepted here/,
  },
  {
    name: 'extensions in a cluster',
    patch: (d) =>
      (d.clusters[0].cluster.extensions = [{ name: 'client.authentication.k8s.io/exec', extension: {} }]),
    field: /clusters\[0\]\.cluster\.extensions is not accepted/,
  },
  {
    name: 'extensions in a context',
    patch: (d) => (d.contexts[0].context.extensions = []),
    field: /contexts\[0\]\.context\.extensions is not accepted/,
  },
  {
    name: 'impersonation (as, as-groups)',
    patch: (d) => (d.users[0].user.as = 'system:admin'),
    field: /users\[0\]\.user\.as is not accepted/,
  },
  {
    name: 'an unknown key beside name in a list item',
    patch: (d) => (d.users[0].exec = EXEC),
    field: /users\[0\]\.exec is not accepted/,
  },
  {
    name: 'a key that could be a secret is not repeated',
    patch: (d) => (d.users[0].user[`${TOKEN}${TOKEN}${TOKEN}`] = 'x'),
    field: /users\[0\]\.user\.\(a key\) is not accepted/,
  },
  {
    name: '__proto__ as a key',
    patch: (d) =>
      Object.defineProperty(d.users[0].user, '__proto__', { value: { exec: EXEC }, enumerable: true }),
    field: /users\[0\]\.user\.__proto__ is not accepted|users\[0\]\.user must be a mapping/,
  },
  {
    name: 'a context naming a missing user',
    patch: (d) => (d.contexts[0].context.user = 'nobody'),
    field: /contexts\[0\]\.context\.user names no user in users/,
  },
  {
    name: 'a context naming a missing cluster',
    patch: (d) => (d.contexts[0].context.cluster = 'nowhere'),
    field: /contexts\[0\]\.context\.cluster names no cluster/,
  },
  {
    name: 'current-context naming a missing context',
    patch: (d) => (d['current-context'] = 'other'),
    field: /current-context names no context/,
  },
  { name: 'no contexts', patch: (d) => (d.contexts = []), field: /it has no contexts/ },
  {
    name: 'a token with a newline',
    patch: (d) => (d.users[0].user.token = `${TOKEN}\nX-Injected: 1`),
    field: /users\[0\]\.user\.token must be printable ASCII without spaces or line breaks/,
  },
  {
    name: 'a token with a space or a non-ASCII character',
    patch: (d) => (d.users[0].user.token = `Bearer ${TOKEN}é`),
    field: /users\[0\]\.user\.token must be printable ASCII/,
  },
  {
    name: 'a token that is not a string',
    patch: (d) => (d.users[0].user.token = { value: TOKEN }),
    field: /users\[0\]\.user\.token must be a string/,
  },
  {
    name: 'a file:/// server',
    patch: (d) => (d.clusters[0].cluster.server = 'file:///etc/shadow'),
    field: /clusters\[0\]\.cluster\.server must be an http:\/\/ or https:\/\/ URL/,
  },
  {
    name: 'a server with user info',
    patch: (d) => (d.clusters[0].cluster.server = `http://user:${PASSWORD}@k8s.example`),
    field: /clusters\[0\]\.cluster\.server must be a plain URL/,
  },
  {
    name: 'a server with a query or fragment',
    patch: (d) => (d.clusters[0].cluster.server = `https://k8s.example/?token=${TOKEN}`),
    field: /clusters\[0\]\.cluster\.server must be a plain URL/,
  },
  {
    name: 'a server with a backslash',
    patch: (d) => (d.clusters[0].cluster.server = 'https://k8s.example\\@evil.example/'),
    field: /clusters\[0\]\.cluster\.server must be a plain URL/,
  },
  {
    name: 'a missing server',
    patch: (d) => delete d.clusters[0].cluster.server,
    field: /clusters\[0\]\.cluster\.server is missing/,
  },
  {
    name: 'CA data that is not base64 of PEM',
    patch: (d) =>
      (d.clusters[0].cluster['certificate-authority-data'] = Buffer.from('/etc/shadow').toString('base64')),
    field: /clusters\[0\]\.cluster\.certificate-authority-data is not base64 of PEM certificates/,
  },
  {
    name: 'CA data in non-canonical base64',
    patch: (d) =>
      (d.clusters[0].cluster['certificate-authority-data'] =
        `${CERT_DATA.slice(0, 40)}\n${CERT_DATA.slice(40)}`),
    field: /clusters\[0\]\.cluster\.certificate-authority-data is not base64/,
  },
  {
    name: 'a client key that is a certificate',
    patch: (d) =>
      Object.assign(d.users[0].user, { 'client-certificate-data': CERT_DATA, 'client-key-data': CERT_DATA }),
    field: /users\[0\]\.user\.client-key-data is not base64 of PEM a private key/,
  },
  {
    name: 'a client certificate without its key',
    patch: (d) => (d.users[0].user['client-certificate-data'] = CERT_DATA),
    field: /users\[0\]\.user needs both client-certificate-data and client-key-data/,
  },
  {
    name: 'a PEM with headers (an encrypted key)',
    patch: (d) =>
      Object.assign(d.users[0].user, {
        'client-certificate-data': CERT_DATA,
        'client-key-data': Buffer.from(
          `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n${KEY_BODY}\n-----END RSA PRIVATE KEY-----\n`,
        ).toString('base64'),
      }),
    field: /users\[0\]\.user\.client-key-data is not base64 of PEM/,
  },
  {
    name: 'a namespace that is not a DNS label',
    patch: (d) => (d.contexts[0].context.namespace = '../kube-system'),
    field: /contexts\[0\]\.context\.namespace must be a DNS label/,
  },
  {
    name: 'a name with a control or bidi character',
    patch: (d) => {
      d.users[0].name = 'u1\u202e';
      d.contexts[0].context.user = 'u1\u202e';
    },
    field: /users\[0\]\.name holds control or invisible characters/,
  },
  { name: 'an empty name', patch: (d) => (d.clusters[0].name = ''), field: /clusters\[0\]\.name is empty/ },
  {
    name: 'a name that is not a string',
    patch: (d) => (d.contexts[0].name = 7),
    field: /contexts\[0\]\.name must be a string/,
  },
  {
    name: 'a repeated name',
    patch: (d) => d.users.push({ name: 'u1', user: { token: 'other' } }),
    field: /users\[1\]\.name repeats users\[0\]\.name/,
  },
  { name: 'apiVersion other than v1', patch: (d) => (d.apiVersion = 'v2'), field: /apiVersion must be v1/ },
  { name: 'kind other than Config', patch: (d) => (d.kind = 'Pod'), field: /kind must be Config/ },
  {
    name: 'preferences that are not empty',
    patch: (d) => (d.preferences = { extensions: [] }),
    field: /preferences must be empty/,
  },
  {
    name: 'a list that is a mapping',
    patch: (d) => (d.users = { u1: { exec: EXEC } }),
    field: /users must be a list/,
  },
  {
    name: 'a tls-server-name that is not a DNS name',
    patch: (d) => (d.clusters[0].cluster['tls-server-name'] = 'evil/../x'),
    field: /clusters\[0\]\.cluster\.tls-server-name must be a DNS name/,
  },
];

describe('hostile YAML constructs', () => {
  it.each(SYNTAX_CASES)('refuses $name', ({ sources, field }) => {
    expectRefused(sources, field);
  });
});

describe('fields outside the allowlist and bad values', () => {
  it.each(FIELD_CASES)('refuses $name', ({ patch, field }) => {
    const doc = base(patch);
    expectRefused(texts(doc), field);
    // the same allowlist on an already parsed object (OKE and OCM build theirs from upstream answers)
    expect(() => rebuildKubeconfig(JSON.parse(JSON.stringify(doc)))).toThrow(field);
    // and KubeTargets refuses it when untrusted
    expect(() => new KubeTargets(JSON.stringify(doc), { untrusted: true })).toThrow(field);
  });
});

describe('envelopes', () => {
  it('refuses what is too large, empty, or neither base64 nor a mapping', () => {
    const big =
      stringifyYaml(base((d) => (d['current-context'] = 'ctx'))) +
      `# ${'x'.repeat(MAX_UNTRUSTED_KUBECONFIG)}\n`;
    expect(refusal(big)).toMatch(/larger than 256 KiB/);
    expect(refusal(Buffer.from(big).toString('base64'))).toMatch(/larger than 256 KiB/);
    expect(refusal('   ')).toBe('it is empty');
    expect(refusal('--- ~\n')).toMatch(/not a kubeconfig \(not a mapping\)/);
    expect(refusal('[a, b]')).toMatch(/not a kubeconfig/);
    expect(refusal(Buffer.from([0xff, 0xfe, 0x00, 0x81]).toString('base64'))).toMatch(/not UTF-8 text/);
    expect(refusal('abcde')).toMatch(/neither base64 of a kubeconfig nor YAML/);
  });

  it('refuses a plain object carrying a prototype other than Object (class instances, not data)', () => {
    class Sneaky {
      clusters = [];
    }
    expect(() => rebuildKubeconfig(new Sneaky())).toThrow(/not a mapping/);
    expect(() => rebuildKubeconfig([base()])).toThrow(/not a mapping/);
  });
});

describe('what is accepted', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startKubeSim({ clusters: 2 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it("accepts kube-sim's own kubeconfig in every spelling, unchanged but for preferences", () => {
    const text = sim.kubeconfig();
    const original = parseYaml(text) as Record<string, unknown>;
    const { preferences: _dropped, ...expected } = original;
    for (const value of spellings(text)) expect(parseUntrustedKubeconfig(value)).toEqual(expected);
  });

  it('keeps exactly the allowlisted fields, canonical, and drops the harmless defaults', () => {
    const doc = parseUntrustedKubeconfig(
      JSON.stringify({
        kind: 'Config',
        preferences: {},
        'current-context': '',
        clusters: [
          {
            name: 'c1',
            cluster: {
              server: 'HTTPS://K8S.Example:443/',
              'insecure-skip-tls-verify': false,
              'tls-server-name': 'api.k8s.example',
              'certificate-authority-data': CERT_DATA,
            },
          },
          { name: 'c2', cluster: { server: 'https://0x0a.1:6443/rancher/k8s/clusters/c-1' } },
        ],
        users: [
          {
            name: 'u1',
            user: { 'client-certificate-data': CERT_DATA, 'client-key-data': KEY_DATA, token: null },
          },
          { name: 'anonymous', user: null },
        ],
        contexts: [
          { name: 'a', context: { cluster: 'c1', user: 'u1', namespace: null } },
          { name: 'b', context: { cluster: 'c2', user: 'anonymous', namespace: 'team-b' } },
        ],
      }),
    );
    expect(JSON.parse(kubeconfigText(doc))).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'c1',
          cluster: {
            server: 'https://k8s.example',
            'certificate-authority-data': CERT_DATA,
            'tls-server-name': 'api.k8s.example',
          },
        },
        { name: 'c2', cluster: { server: 'https://10.0.0.1:6443/rancher/k8s/clusters/c-1' } },
      ],
      users: [
        { name: 'u1', user: { 'client-certificate-data': CERT_DATA, 'client-key-data': KEY_DATA } },
        { name: 'anonymous', user: {} },
      ],
      contexts: [
        { name: 'a', context: { cluster: 'c1', user: 'u1' } },
        { name: 'b', context: { cluster: 'c2', user: 'anonymous', namespace: 'team-b' } },
      ],
    });
    expect(JSON.parse(kubeconfigText(doc, 'b'))['current-context']).toBe('b');
  });

  it('reads YAML 1.1 look-alikes as the strings YAML 1.2 sees, and writes them as JSON strings', () => {
    const doc = parseUntrustedKubeconfig(
      `clusters: [{name: "yes", cluster: {server: "https://k8s.example"}}]\nusers: [{name: on, user: {token: 0b1_0}}]\ncontexts: [{name: no, context: {cluster: "yes", user: on, namespace: y}}]\n`,
    );
    expect(doc.users).toEqual([{ name: 'on', user: { token: '0b1_0' } }]);
    expect(doc.contexts).toEqual([{ name: 'no', context: { cluster: 'yes', user: 'on', namespace: 'y' } }]);
    expect(jsYaml.load(kubeconfigText(doc))).toEqual(JSON.parse(kubeconfigText(doc)));
  });

  it('every accepted document reads the same through JSON, js-yaml, yaml and kubectl', () => {
    const accepted: KubeconfigDocument[] = [
      parseUntrustedKubeconfig(sim.kubeconfig()),
      parseUntrustedKubeconfig(sim.kubeconfig({ user: 'view' })),
      parseUntrustedKubeconfig(VALID_YAML),
      parseUntrustedKubeconfig(
        stringifyYaml(
          base((d) => {
            d.users[0].user = { 'client-certificate-data': CERT_DATA, 'client-key-data': KEY_DATA };
            d.users.push({
              name: 'quirky "name" \\ with: yaml # chars & *stars*',
              user: { token: '!tok:{}[]#&*' },
            });
            d.contexts.push({
              name: '- dash',
              context: { cluster: 'c1', user: 'quirky "name" \\ with: yaml # chars & *stars*' },
            });
          }),
        ),
      ),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-reparse-'));
    try {
      for (const [index, doc] of accepted.entries()) {
        const text = kubeconfigText(doc);
        const json = JSON.parse(text);
        expect(json).toEqual({ apiVersion: 'v1', kind: 'Config', ...doc });
        expect(jsYaml.load(text)).toEqual(json);
        expect(parseYaml(text)).toEqual(json);
        if (!existsKubectl()) continue;
        const file = join(dir, `k${index}.json`);
        writeFileSync(file, text, { mode: 0o600 });
        const viewed = JSON.parse(
          execFileSync(KUBECTL, ['config', 'view', '--raw', '-o', 'json', '--kubeconfig', file], {
            encoding: 'utf8',
            env: { PATH: process.env['PATH'] ?? '', HOME: dir },
          }),
        ) as Record<string, unknown>;
        // kubectl holds clusters, users and contexts as maps by name and prints them sorted
        const byName = (list: Array<{ name: string }>) =>
          [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
        const { preferences: _p, ...seenByKubectl } = viewed;
        expect(seenByKubectl).toEqual({
          ...json,
          clusters: byName(json.clusters),
          users: byName(json.users),
          contexts: byName(json.contexts),
          'current-context': json['current-context'] ?? '',
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function existsKubectl(): boolean {
  try {
    execFileSync(KUBECTL, ['version', '--client', '-o', 'json'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

import { stringify } from 'yaml';
import { base64, base64url } from './harness.js';

// Hostile kubeconfigs a tenant or a model can send (`X-Kubeconfig`, the CLI tools' `kubeconfig` argument).
// Each smuggles something the server must not honour: an exec plugin (which would create `marker`), a file
// of the server's disk, an auth provider, a proxy, or no TLS verification.

/** A cluster nobody answers on (TEST-NET-1): a refusal cannot be blamed on a loopback address. */
export const NOWHERE = 'https://192.0.2.1:6443';

export interface HostileDoc {
  name: string;
  /** What is sent: YAML or JSON text, or a base64 form of it. */
  text: string;
  /** The refusal should name one of these (loosely: the wording is still being written). */
  names: RegExp | undefined;
  /** Points at the listener (needs `--allow-local-clusters` for the refusal to be about the field). */
  local?: boolean;
  /** The context to ask for (the one whose user carries the payload). */
  context?: string;
}

const execOf = (marker: string) => ({
  apiVersion: 'client.authentication.k8s.io/v1',
  command: '/bin/sh',
  args: ['-c', `echo ran > '${marker}'`],
  interactiveMode: 'Never',
});

function doc(user: Record<string, unknown>, server = NOWHERE, cluster: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'x',
  };
}

const HEAD = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${NOWHERE}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`;

/** The exec plugin as a YAML flow mapping. */
const execFlow = (marker: string) => JSON.stringify(execOf(marker));

const EXEC = /exec/i;
const EXEC_OR_SYNTAX = /exec|alias|anchor|merge|tag|duplicate/i;

/** Every hostile kubeconfig; `marker` is where an exec plugin that ran would write. */
export function hostileDocs(marker: string, canary: string, listener: string): HostileDoc[] {
  const plain = doc({ exec: execOf(marker) });
  const plainYaml = stringify(plain);
  const flow = execFlow(marker);
  return [
    { name: 'exec plugin (YAML)', text: plainYaml, names: EXEC },
    { name: 'exec plugin (JSON)', text: JSON.stringify(plain), names: EXEC },
    { name: 'exec plugin, base64', text: base64(plainYaml), names: EXEC },
    { name: 'exec plugin, URL-safe base64 without padding', text: base64url(plainYaml), names: EXEC },
    { name: 'exec plugin, base64 of JSON', text: base64(JSON.stringify(plain)), names: EXEC },
    {
      name: 'exec through a merge key <<: *a',
      text: `${HEAD}x-shared: &a\n  exec: ${flow}\nusers:\n- name: u\n  user:\n    <<: *a\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec through !!merge',
      text: `${HEAD}x-shared: &a\n  exec: ${flow}\nusers:\n- name: u\n  user:\n    !!merge <<: *a\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec through an alias of the whole user',
      text: `${HEAD}x-shared: &a {exec: ${flow}}\nusers:\n- name: u\n  user: *a\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec through an alias of the exec block',
      text: `${HEAD}x-shared: &e ${flow}\nusers:\n- name: u\n  user: {exec: *e}\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec under a !!map tag',
      text: `${HEAD}users:\n- name: u\n  user: !!map {exec: ${flow}}\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec key under a !!str tag',
      text: `${HEAD}users:\n- name: u\n  user: {!!str exec: ${flow}}\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec key as a YAML complex key (? |-)',
      text: `${HEAD}users:\n- name: u\n  user:\n    ? |-\n      exec\n    : ${flow}\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec key in double-quoted escapes ("\\x65xec")',
      text: `${HEAD}users:\n- name: u\n  user: {"\\x65xec": ${flow}}\n`,
      names: EXEC,
    },
    {
      name: 'exec key in JSON \\u escapes ("\\u0065xec")',
      text: JSON.stringify(plain).replace('"exec"', '"\\u0065xec"'),
      names: EXEC,
    },
    {
      name: 'duplicate user key: a token, then exec',
      text: `${HEAD}users:\n- name: u\n  user: {token: harmless-token-1234}\n  user: {exec: ${flow}}\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'duplicate users list: harmless, then exec',
      text: `${HEAD}users:\n- name: u\n  user: {token: harmless-token-1234}\nusers:\n- name: u\n  user: {exec: ${flow}}\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'two users of one name: exec second',
      text: `${HEAD}users:\n- name: u\n  user: {token: harmless-token-1234}\n- name: u\n  user: {exec: ${flow}}\n`,
      names: EXEC_OR_SYNTAX,
    },
    {
      name: 'exec on a user of a context that is not current',
      text: stringify({
        ...doc({ token: 'harmless-token-1234' }),
        users: [
          { name: 'u', user: { token: 'harmless-token-1234' } },
          { name: 'evil', user: { exec: execOf(marker) } },
        ],
        contexts: [
          { name: 'x', context: { cluster: 'c', user: 'u' } },
          { name: 'y', context: { cluster: 'c', user: 'evil' } },
        ],
      }),
      names: EXEC,
      context: 'y',
    },
    { name: 'exec spelled Exec (case)', text: stringify(doc({ Exec: execOf(marker) })), names: undefined },
    {
      name: 'auth-provider gcp with cmd-path',
      text: stringify(
        doc({
          'auth-provider': {
            name: 'gcp',
            config: { 'cmd-path': '/bin/sh', 'cmd-args': `-c "echo ran > '${marker}'"` },
          },
        }),
      ),
      names: /auth.?provider/i,
    },
    {
      name: 'auth-provider oidc refreshing at the listener',
      text: stringify(
        doc({
          'auth-provider': {
            name: 'oidc',
            config: {
              'client-id': 'k',
              'idp-issuer-url': listener,
              'refresh-token': 'r',
              'id-token': 'expired.jwt.value',
            },
          },
        }),
      ),
      names: /auth.?provider/i,
      local: true,
    },
    {
      name: 'tokenFile pointing at the canary, server at the listener',
      text: stringify(doc({ tokenFile: canary }, listener)),
      names: /tokenFile/i,
      local: true,
    },
    {
      name: 'client-key and client-certificate pointing at the canary',
      text: stringify(doc({ 'client-key': canary, 'client-certificate': canary })),
      names: /client-(key|certificate)/i,
    },
    {
      name: 'certificate-authority pointing at the canary',
      text: stringify(doc({ token: 'harmless-token-1234' }, NOWHERE, { 'certificate-authority': canary })),
      names: /certificate-authority/i,
    },
    {
      name: 'proxy-url at the listener',
      text: stringify(doc({ token: 'harmless-token-1234' }, NOWHERE, { 'proxy-url': listener })),
      names: /proxy/i,
      local: true,
    },
    {
      name: 'insecure-skip-tls-verify',
      text: stringify(doc({ token: 'harmless-token-1234' }, NOWHERE, { 'insecure-skip-tls-verify': true })),
      names: /insecure-skip-tls-verify/i,
    },
  ];
}

/** The one-line form an HTTP header can carry: base64 of anything with a line break. */
export function asHeader(text: string): string {
  return text.includes('\n') ? base64(text) : text;
}

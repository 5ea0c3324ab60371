import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type KubeSim, startKubeSim } from 'kube-sim';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchUrls, MAX_FETCH_BYTES, MAX_REDIRECTS } from '../src/runner/fetch-urls.js';
import {
  CliAborted,
  CliError,
  CliRefused,
  type CliTool,
  type RunCliOptions,
  runCli,
  tokenize,
} from '../src/runner/index.js';

// With `allowedUrls`, kubectl's `-f URL`s are fetched by the runner, each hop checked against the prefixes,
// and given to kubectl as `-f -`. Listeners on 127.0.0.1 stand for the allowed host and for everything else.

const here = dirname(fileURLToPath(import.meta.url));
const FAKE = join(here, 'fixtures', 'runner', 'fake-cli.cjs');
const REAL_KUBECTL = join(here, '..', '..', '..', '.bin-cache', 'kubectl');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Listener {
  url: string;
  /** Paths requested, in order. */
  paths: string[];
  /** TCP connections accepted. */
  connections: number;
  /** Headers of the last request. */
  headers: IncomingMessage['headers'] | undefined;
  close(): Promise<void>;
}

async function listen(routes: Record<string, Handler>): Promise<Listener> {
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    listener.paths.push(path);
    listener.headers = req.headers;
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route) route(req, res);
    else res.writeHead(404).end('not found');
  });
  server.on('connection', () => listener.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const listener: Listener = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths: [],
    connections: 0,
    headers: undefined,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return listener;
}

const body =
  (text: string | Buffer, type = 'application/yaml'): Handler =>
  (_req, res) =>
    res.writeHead(200, { 'content-type': type }).end(text);
const redirect =
  (location: string, status = 302): Handler =>
  (_req, res) =>
    res.writeHead(status, { location }).end();

const doc = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

let inside: Listener;
let outside: Listener;
const routes: Record<string, Handler> = {};
let root: string;
let binDir: string;
let tempRoot: string;
let reportPath: string;

beforeAll(async () => {
  inside = await listen(routes);
  outside = await listen({ '/x.yaml': body(doc('outside')), '/ok/x.yaml': body(doc('outside')) });
  Object.assign(routes, {
    '/ok/a.yaml': body(doc('a')),
    '/ok/b.yaml': body(doc('b')),
    '/ok/c.yaml': body(doc('c')),
    '/ok/d.yaml': body(doc('d')),
    '/ok/e.yaml': body(doc('e')),
    '/ok/f.yaml': body(doc('f')),
    '/ok/hop': redirect('/ok/sub/b.yaml', 301),
    '/ok/sub/b.yaml': redirect('../a.yaml', 307),
    '/ok/loop': redirect('/ok/loop'),
    '/ok/missing-location': (_req, res) => res.writeHead(302).end(),
    '/ok/bad-location': redirect('http://[bad/x.yaml'),
    '/ok/to-other-port': redirect(`${outside.url}/ok/x.yaml`),
    '/ok/to-other-path': redirect(`${inside.url}/other/x.yaml`),
    '/ok/to-relative': redirect('/other/x.yaml'),
    '/ok/to-dots': redirect('/ok/../other/x.yaml'),
    '/ok/to-encoded-dots': redirect('/ok/%2e%2e/other/x.yaml'),
    '/ok/to-userinfo': redirect(`http://u:p@${inside.url.slice(7)}/ok/a.yaml`),
    '/ok/to-file': redirect('file:///etc/passwd'),
    '/ok/to-https-elsewhere': redirect('https://127.0.0.1:1/x.yaml'),
    '/ok/huge': body(Buffer.alloc(MAX_FETCH_BYTES + 1, 'a')),
    '/ok/chunked': (_req, res) => {
      res.writeHead(200);
      res.write('a'.repeat(600));
      res.end('b'.repeat(600));
    },
    '/ok/hang': () => {
      // never answers: the call's timeout or abort ends it
    },
  } satisfies Record<string, Handler>);
  root = mkdtempSync(join(tmpdir(), 'runner-fetch-'));
  binDir = join(root, 'bin');
  mkdirSync(binDir);
  for (const tool of ['kubectl', 'helm']) {
    copyFileSync(FAKE, join(binDir, tool));
    chmodSync(join(binDir, tool), 0o755);
  }
});

afterAll(async () => {
  await inside?.close();
  await outside?.close();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  tempRoot = mkdtempSync(join(root, 'calls-'));
  reportPath = join(root, `report-${Math.random().toString(36).slice(2)}.json`);
  inside.paths.length = 0;
  outside.paths.length = 0;
});

afterEach(() => {
  // no request ever reaches the other listener
  expect(outside.paths).toEqual([]);
});

const allowed = () => [`${inside.url}/ok/`];

function options(command: string, extra: Partial<RunCliOptions> = {}, tool: CliTool = 'kubectl') {
  return {
    tool,
    args: tokenize(command.replaceAll('OK', `${inside.url}/ok`), tool),
    readOnly: false,
    binaryPath: join(binDir, tool),
    tempRoot,
    timeoutMs: 15_000,
    allowedUrls: allowed(),
    ...extra,
    env: { FAKE_REPORT: reportPath, FAKE_ECHO_STDIN: '1' },
  } satisfies RunCliOptions;
}

/** The fake CLI's argv, or undefined when it never ran. */
function ranWith(): string[] | undefined {
  if (!existsSync(reportPath)) return undefined;
  return (JSON.parse(readFileSync(reportPath, 'utf8')) as { argv: string[] }).argv;
}

async function failure(opts: RunCliOptions): Promise<CliError> {
  const error = await runCli(opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  expect(ranWith(), 'kubectl never ran').toBeUndefined();
  return error as CliError;
}

describe('kubectl -f URL with allowed URLs: the runner fetches', () => {
  it('a URL under the prefix reaches kubectl on stdin, as `-f -`', async () => {
    const result = await runCli(options('apply -f OK/a.yaml --dry-run=server'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(doc('a'));
    expect(ranWith()).toEqual(['apply', '-f', '-', '--dry-run=server']);
    expect(result.argv).toEqual(['apply', '-f', '-', '--dry-run=server']);
    expect(result.fetched).toEqual([`${inside.url}/ok/a.yaml`]);
    expect(result.stderr).toBe(
      `[the server fetched ${inside.url}/ok/a.yaml and gave it to kubectl as \`-f -\`]`,
    );
    expect(inside.paths).toEqual(['/ok/a.yaml']);
    // nothing but what a plain GET needs
    expect(Object.keys(inside.headers!).sort()).toEqual(['accept', 'connection', 'host', 'user-agent']);
  });

  it('redirects inside the prefix are followed (absolute and relative Locations)', async () => {
    const result = await runCli(options('get -f OK/hop -o name'));
    expect(result.stdout).toBe(doc('a'));
    expect(inside.paths).toEqual(['/ok/hop', '/ok/sub/b.yaml', '/ok/a.yaml']);
    expect(result.fetched).toEqual([`${inside.url}/ok/hop`]);
  });

  it.each([
    ['another port', '/ok/to-other-port', () => `${outside.url}/ok/x.yaml`],
    ['another path', '/ok/to-other-path', () => `${inside.url}/other/x.yaml`],
    ['a relative Location out of the prefix', '/ok/to-relative', () => `${inside.url}/other/x.yaml`],
    ['dot segments', '/ok/to-dots', () => `${inside.url}/other/x.yaml`],
    ['encoded dot segments', '/ok/to-encoded-dots', () => `${inside.url}/other/x.yaml`],
    ['userinfo', '/ok/to-userinfo', () => `http://u:p@${inside.url.slice(7)}/ok/a.yaml`],
    ['another scheme', '/ok/to-file', () => 'file:///etc/passwd'],
    ['https elsewhere', '/ok/to-https-elsewhere', () => 'https://127.0.0.1:1/x.yaml'],
  ])('a redirect to %s is refused, naming the hop; it is never requested', async (_what, path, hop) => {
    const before = outside.connections;
    const error = await failure(options(`apply -f OK${path.slice(3)} --dry-run=server`));
    expect(error).toBeInstanceOf(CliRefused);
    expect((error as CliRefused).kind).toBe('url');
    expect((error as CliRefused).refused).toBe(hop());
    expect(error.message).toContain(`Refused \`${inside.url}${path}\`: it redirects to \`${hop()}\``);
    expect(error.details.next).toContain(`${inside.url}/ok/`);
    expect(inside.paths).toEqual([path]);
    expect(outside.connections).toBe(before);
  });

  it(`a redirect loop stops after ${MAX_REDIRECTS} redirects`, async () => {
    const error = await failure(options('apply -f OK/loop'));
    expect(error.message).toBe(
      `Could not fetch \`${inside.url}/ok/loop\`: more than ${MAX_REDIRECTS} redirects; kubectl was not run.`,
    );
    expect(inside.paths).toEqual(Array(MAX_REDIRECTS + 1).fill('/ok/loop'));
  });

  it('a redirect without a Location is an error', async () => {
    const error = await failure(options('apply -f OK/missing-location'));
    expect(error.message).toContain('HTTP 302 without a Location');
  });

  it('a Location that is not a URL is an error', async () => {
    const error = await failure(options('apply -f OK/bad-location'));
    expect(error.message).toBe(
      `Could not fetch \`${inside.url}/ok/bad-location\`: ERR_INVALID_URL; kubectl was not run.`,
    );
    expect(inside.paths).toEqual(['/ok/bad-location']);
  });

  it('a 404 is an error naming the URL; nothing else is fetched', async () => {
    const error = await failure(options('apply -f OK/nothing.yaml -f OK/a.yaml'));
    expect(error).not.toBeInstanceOf(CliRefused);
    expect(error.message).toBe(
      `Could not fetch \`${inside.url}/ok/nothing.yaml\`: the server answered HTTP 404; kubectl was not run.`,
    );
    expect(inside.paths).toEqual(['/ok/nothing.yaml']);
  });

  it(`a body over ${MAX_FETCH_BYTES} bytes is refused`, async () => {
    const error = await failure(options('apply -f OK/huge'));
    expect(error.message).toBe(
      `Could not fetch \`${inside.url}/ok/huge\`: the documents are larger than ${MAX_FETCH_BYTES} bytes together; kubectl was not run.`,
    );
  });

  it('the cap holds for bodies without a length and across URLs', async () => {
    const opts = { tool: 'kubectl' as const, allowedUrls: allowed(), timeoutMs: 5_000, maxBytes: 1_500 };
    expect(await fetchUrls([`${inside.url}/ok/chunked`], opts)).toEqual([
      `${'a'.repeat(600)}${'b'.repeat(600)}`,
    ]);
    await expect(fetchUrls([`${inside.url}/ok/chunked`], { ...opts, maxBytes: 1_000 })).rejects.toThrow(
      'larger than 1000 bytes together',
    );
    await expect(fetchUrls([`${inside.url}/ok/chunked`, `${inside.url}/ok/chunked`], opts)).rejects.toThrow(
      `Could not fetch \`${inside.url}/ok/chunked\`: the documents are larger than 1500 bytes`,
    );
  });

  it('every spelling of -f, several URLs and a local file become one `-f -`, the documents one stream', async () => {
    const result = await runCli(
      options(
        'apply -f OK/a.yaml -fOK/b.yaml -f=OK/c.yaml --filename OK/d.yaml --filename=OK/e.yaml -f OK/f.yaml,./local.yaml --dry-run=server',
        { allowLocalFiles: true },
      ),
    );
    expect(ranWith()).toEqual(['apply', '-f', '-', '-f', './local.yaml', '--dry-run=server']);
    expect(result.stdout).toBe(['a', 'b', 'c', 'd', 'e', 'f'].map(doc).join('\n---\n'));
    expect(result.fetched).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${inside.url}/ok/${n}.yaml`));
    expect(result.stderr).toContain('and gave them to kubectl as `-f -`');
  });

  it.each([
    ['-Rf OK/a.yaml', ['-R', '-f', '-']],
    ['-Rf=OK/a.yaml', ['-R', '-f', '-']],
    ['-RfOK/a.yaml', ['-R', '-f', '-']],
    ['-f=OK/a.yaml,x.yaml', ['-f=x.yaml', '-f', '-']],
    ['-fx.yaml,OK/a.yaml', ['-fx.yaml', '-f', '-']],
    ['--filename=x.yaml,OK/a.yaml', ['--filename=x.yaml', '-f', '-']],
    ['-f x.yaml -f OK/a.yaml', ['-f', 'x.yaml', '-f', '-']],
  ])('`get %s` keeps what is not a URL', async (given, expected) => {
    const result = await runCli(options(`get ${given}`, { allowLocalFiles: true }));
    expect(ranWith()).toEqual(['get', ...expected]);
    expect(result.stdout).toBe(doc('a'));
  });

  it.each([
    ['the stdin argument', 'apply -f OK/a.yaml', { stdin: doc('mine') }],
    ['another -f -', 'apply -f - -f OK/a.yaml', {}],
    ['another -f - in the same list', 'apply -f OK/a.yaml,-', {}],
  ])('a URL with %s is refused before anything is fetched', async (_what, command, extra) => {
    const error = await failure(options(command, extra));
    expect(error).toBeInstanceOf(CliRefused);
    expect((error as CliRefused).kind).toBe('url');
    expect(error.message).toContain(
      'this server fetches URLs itself and gives their content to kubectl as stdin',
    );
    expect(inside.paths).toEqual([]);
  });

  it('a list smuggling another URL or a local file is refused by the policy, nothing fetched', async () => {
    const other = await failure(options(`apply -f OK/a.yaml,${outside.url}/x.yaml`));
    expect(other).toMatchObject({ kind: 'url', refused: `-f ${outside.url}/x.yaml` });
    const local = await failure(options('apply -f OK/a.yaml,/etc/passwd'));
    expect(local).toMatchObject({ kind: 'local-file', refused: '-f /etc/passwd' });
    const quoted = await failure(options(`apply -f '"OK/a.yaml,${outside.url}/x.yaml"'`));
    expect(quoted).toMatchObject({ kind: 'syntax' });
    expect(inside.paths).toEqual([]);
  });

  it('the call’s timeout bounds the fetch', async () => {
    const error = await failure(options('apply -f OK/hang', { timeoutMs: 300 }));
    expect(error.message).toBe(
      `Could not fetch \`${inside.url}/ok/hang\`: no answer within 300 ms; kubectl was not run.`,
    );
  });

  it('cancelling the call stops the fetch', async () => {
    const controller = new AbortController();
    const asked = new Promise<void>((resolve) => {
      routes['/ok/hang-abort'] = () => {
        resolve();
      };
    });
    const call = runCli(options('apply -f OK/hang-abort', { signal: controller.signal }));
    await asked;
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(CliAborted);
    expect(ranWith()).toBeUndefined();
  });
});

describe('left to the CLI', () => {
  it('without allowedUrls (stdio default) kubectl gets its argv untouched and fetches itself', async () => {
    const { allowedUrls: _, ...opts } = options('apply -f OK/a.yaml --dry-run=server');
    const result = await runCli(opts);
    expect(ranWith()).toEqual(['apply', '-f', `${inside.url}/ok/a.yaml`, '--dry-run=server']);
    expect(result.fetched).toEqual([]);
    expect(result.stderr).toBe('');
    expect(inside.paths).toEqual([]); // the fake kubectl fetches nothing
  });

  it('helm gets its argv untouched (its fetches are its own; see the README)', async () => {
    const command = 'template x greeting --repo OK/ -f OK/a.yaml';
    const result = await runCli(options(command, {}, 'helm'));
    expect(ranWith()).toEqual(tokenize(command.replaceAll('OK', `${inside.url}/ok`), 'helm'));
    expect(result.fetched).toEqual([]);
    expect(inside.paths).toEqual([]);
  });
});

describe('real kubectl against kube-sim', () => {
  let sim: KubeSim;
  const missing = existsSync(REAL_KUBECTL) ? undefined : `no kubectl at ${REAL_KUBECTL}`;

  beforeAll(async () => {
    if (!missing) sim = await startKubeSim({ seed: 'empty' });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('applies what the runner fetched through a redirect inside the prefix; one outside is refused', async ({
    skip,
  }) => {
    skip(!!missing, missing);
    const real = (command: string) => ({
      ...options(command),
      binaryPath: REAL_KUBECTL,
      kubeconfig: sim.kubeconfig(),
      namespace: 'default',
      env: {},
    });
    const result = await runCli(real('apply -f OK/hop -f OK/b.yaml --dry-run=server -o name'));
    expect(result.stderr).toContain('[the server fetched');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe('configmap/a\nconfigmap/b\n');
    expect(inside.paths).toEqual(['/ok/hop', '/ok/sub/b.yaml', '/ok/a.yaml', '/ok/b.yaml']);
    const before = outside.connections;
    await expect(runCli(real('apply -f OK/to-other-port --dry-run=server'))).rejects.toMatchObject({
      kind: 'url',
    });
    expect(outside.connections).toBe(before);
  });
});

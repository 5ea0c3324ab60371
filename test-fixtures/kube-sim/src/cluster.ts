/** One simulated cluster: its store, API surface, authentication, RBAC, controllers and HTTPS server. */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Api, rfc3339, type WriteOptions } from './api.js';
import { Controllers, qosClass } from './controllers.js';
import { invalid } from './errors.js';
import { ClusterFaults } from './faults.js';
import { LogStore } from './logs.js';
import { clone, isObj, type JsonObject } from './patch.js';
import { generateClusterPki } from './pki.js';
import { Authorizer, type UserInfo } from './rbac.js';
import { Registry } from './registry.js';
import type { ResourceType } from './resources.js';
import { handleRequest } from './server.js';
import { Store } from './store.js';
import type { Fault, RequestLogEntry, SimCluster, SimStore, TokenAuthenticator, UserRole } from './types.js';
import { Watches } from './watch.js';

export const USERS: Record<UserRole, UserInfo> = {
  admin: { username: 'kube-admin', groups: ['system:masters', 'system:authenticated'] },
  view: { username: 'viewer', groups: ['system:authenticated'] },
  edit: { username: 'editor', groups: ['system:authenticated'] },
  teamAdmin: { username: 'team-a-admin', groups: ['system:authenticated'] },
};

export interface ClusterOptions {
  name: string;
  index: number;
  host: string;
  port: number;
  podStartMs: number;
}

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';

interface ServiceAccountToken {
  namespace: string;
  name: string;
  /** The ServiceAccount's uid when the token was minted. */
  uid: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class Cluster {
  readonly store = new Store();
  readonly registry = new Registry();
  readonly api: Api;
  readonly authorizer: Authorizer;
  readonly controllers: Controllers;
  readonly logs = new LogStore();
  readonly faults = new ClusterFaults();
  readonly watches = new Watches();
  readonly log: RequestLogEntry[] = [];
  readonly pki;
  readonly tokens: Record<UserRole, string>;
  /** Tokens minted through serviceaccounts/token: whose they are and until when they are valid. */
  readonly saTokens = new Map<string, ServiceAccountToken>();
  /** Consulted for tokens nobody else knows (an OKE-style token webhook, installed by a test or oci-sim). */
  tokenAuthenticator: TokenAuthenticator | undefined;
  private server: Server | undefined;
  private ipCounter = 10;
  private nodePortCounter = 30080;
  private lbCounter = 240;
  port = 0;
  url = '';

  constructor(readonly opts: ClusterOptions) {
    this.pki = generateClusterPki(opts.name, opts.host);
    const tok = (role: string) => `kubesim-${opts.name}-${role}-${randomBytes(18).toString('base64url')}`;
    this.tokens = { admin: tok('admin'), view: tok('view'), edit: tok('edit'), teamAdmin: tok('team-admin') };
    this.api = new Api(this.store, this.registry);
    this.authorizer = new Authorizer(this.store);
    this.controllers = new Controllers(this.api, this.store, this.registry, {
      podStartMs: opts.podStartMs,
      onCrashLoop: (pod) => {
        const c = pod.spec?.containers?.[0]?.name;
        if (!c) return;
        const crash = [
          '{"level":"info","msg":"starting"}',
          '{"level":"error","msg":"configuration invalid","error":"missing required setting"}',
          'panic: missing required setting',
          '',
          'goroutine 1 [running]:',
          'main.main()',
          '\t/src/main.go:42 +0x1d9',
        ];
        this.logs.set(
          pod.metadata.namespace,
          pod.metadata.name,
          c,
          crash,
          [...crash, 'exit status 2'],
          Date.now() - 10_000,
        );
      },
    });
    this.api.hooks.beforeCreate = (t, obj, o) => this.beforeCreate(t, obj, o);
    this.store.subscribe((ev) => {
      if (ev.storage !== CRDS) return;
      if (ev.type === 'DELETED') {
        this.registry.unregisterCrd(ev.object.metadata.name);
        const storage = `${ev.object.spec?.group}/${ev.object.spec?.names?.plural}`;
        for (const o of this.store.peekAll(storage))
          this.store.delete(storage, o.metadata?.namespace, o.metadata.name);
      } else if (
        ((ev.object.status?.conditions ?? []) as JsonObject[]).some(
          (c) => c.type === 'Established' && c.status === 'True',
        )
      ) {
        this.registry.registerCrd(ev.object);
      }
    });
  }

  type(group: string, kind: string): ResourceType {
    const t = this.registry.forGroupKind(group, kind);
    if (!t) throw new Error(`unknown kind ${group}/${kind}`);
    return t;
  }

  authenticate(header: string | undefined): UserInfo | 'invalid' {
    if (!header) return { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return 'invalid';
    const token = m[1]!;
    for (const role of Object.keys(this.tokens) as UserRole[]) {
      if (this.tokens[role] === token) return { ...USERS[role], groups: [...USERS[role].groups] };
    }
    const sa = this.serviceAccountUser(token);
    if (sa) return sa;
    const hooked = this.tokenAuthenticator?.(token);
    if (!hooked) return 'invalid';
    const user: UserInfo = { username: hooked.username, groups: [...hooked.groups] };
    if (hooked.uid !== undefined) user.uid = hooked.uid;
    if (!user.groups.includes('system:authenticated')) user.groups.push('system:authenticated');
    return user;
  }

  /**
   * Mints a bound service-account token, valid for `expirationSeconds` (the TokenRequest's, default 3600) and
   * only while the ServiceAccount with this uid exists (a real API server checks the bound object's uid).
   */
  issueServiceAccountToken(namespace: string, name: string, uid: string, expirationSeconds = 3600): string {
    const token = `kubesim-sa-${randomBytes(24).toString('base64url')}`;
    this.saTokens.set(token, { namespace, name, uid, expiresAt: Date.now() + expirationSeconds * 1000 });
    return token;
  }

  /** The service account a minted token stands for, unless it expired or its ServiceAccount is gone. */
  private serviceAccountUser(token: string): UserInfo | undefined {
    const t = this.saTokens.get(token);
    if (!t) return undefined;
    const sa = this.store.get('serviceaccounts', t.namespace, t.name);
    if (Date.now() >= t.expiresAt || sa?.metadata?.uid !== t.uid) {
      this.saTokens.delete(token);
      return undefined;
    }
    return {
      username: `system:serviceaccount:${t.namespace}:${t.name}`,
      uid: t.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${t.namespace}`, 'system:authenticated'],
    };
  }

  // ---- admission-like create preparation -----------------------------------------------------------------------

  private beforeCreate(t: ResourceType, obj: JsonObject, _opts: WriteOptions): void {
    const key = `${t.group}/${t.kind}`;
    const keepStatus = _opts.track === false && obj.status !== undefined;
    switch (key) {
      case '/Pod':
        if (!keepStatus) obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
        break;
      case '/Namespace':
        if (!keepStatus) obj.status = { phase: 'Active' };
        break;
      case '/PersistentVolumeClaim':
        if (!keepStatus) obj.status = { phase: 'Pending' };
        break;
      case '/PersistentVolume':
        if (!keepStatus) obj.status = { phase: 'Available' };
        break;
      case 'apps/Deployment':
      case 'apps/ReplicaSet':
      case 'apps/StatefulSet':
      case 'apps/DaemonSet':
        if (!keepStatus) obj.status = {};
        break;
      case '/Service': {
        const spec = obj.spec;
        if (!isObj(spec)) break;
        if (spec.type !== 'ExternalName' && !spec.clusterIP) {
          this.ipCounter++;
          spec.clusterIP = `10.96.${Math.floor(this.ipCounter / 250)}.${(this.ipCounter % 250) + 1}`;
        }
        if (spec.clusterIP && !spec.clusterIPs) spec.clusterIPs = [spec.clusterIP];
        if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
          for (const p of (spec.ports ?? []) as JsonObject[]) p.nodePort ??= this.nodePortCounter++;
        }
        if (!keepStatus) {
          obj.status = { loadBalancer: {} };
          if (spec.type === 'LoadBalancer')
            obj.status.loadBalancer = { ingress: [{ ip: `172.18.255.${this.lbCounter++}`, ipMode: 'VIP' }] };
        }
        break;
      }
      case 'apiextensions.k8s.io/CustomResourceDefinition': {
        const causes = this.registry.validateCrd(obj);
        if (causes.length > 0) throw invalid(t.group, t.kind, obj.metadata?.name ?? '', causes);
        const now = rfc3339(new Date());
        obj.spec.conversion ??= { strategy: 'None' };
        obj.status = {
          conditions: [
            {
              type: 'NamesAccepted',
              status: 'True',
              lastTransitionTime: now,
              reason: 'NoConflicts',
              message: 'no conflicts found',
            },
            {
              type: 'Established',
              status: 'True',
              lastTransitionTime: now,
              reason: 'InitialNamesAccepted',
              message: 'the initial names have been accepted',
            },
          ],
          acceptedNames: clone(obj.spec.names),
          storedVersions: ((obj.spec.versions ?? []) as JsonObject[])
            .filter((v) => v.storage)
            .map((v) => v.name),
        };
        break;
      }
      case 'batch/Job': {
        // The Job registry's PrepareForCreate: a selector on the controller uid and matching template labels.
        const spec = obj.spec;
        if (!isObj(spec) || spec.manualSelector === true) break;
        const uid = obj.metadata.uid as string;
        const labels = {
          'batch.kubernetes.io/controller-uid': uid,
          'batch.kubernetes.io/job-name': obj.metadata.name,
          'controller-uid': uid,
          'job-name': obj.metadata.name,
        };
        spec.selector ??= { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
        spec.template ??= {};
        spec.template.metadata ??= {};
        spec.template.metadata.labels = { ...labels, ...(spec.template.metadata.labels ?? {}) };
        obj.metadata.labels = { ...labels, ...(obj.metadata.labels ?? {}) };
        if (!keepStatus) obj.status = {};
        break;
      }
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------

  async listen(): Promise<void> {
    this.server = createServer({ key: this.pki.keyPem, cert: this.pki.certPem }, (req, res) => {
      handleRequest(this, req, res).catch((e) => {
        console.error('kube-sim: unhandled request error', e);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    const h = this.opts.host;
    const urlHost = h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h;
    this.url = `https://${urlHost}:${this.port}`;
  }

  /** Ends every open connection (watch streams, follows and idle keep-alive sockets); the server keeps listening. */
  dropConnections(): void {
    this.watches.closeAll();
    this.server?.closeAllConnections();
  }

  async close(): Promise<void> {
    this.controllers.stop();
    this.api.close();
    this.watches.closeAll();
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  // ---- test-facing API ---------------------------------------------------------------------------------------

  private typeFor(apiVersion: string, kind: string): ResourceType {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const t = this.registry.forKind(group!, version!, kind);
    if (!t) throw new Error(`kube-sim: no resource for ${apiVersion} ${kind}`);
    return t;
  }

  simStore(): SimStore {
    const self = this;
    return {
      get: (apiVersion, kind, namespace, name) => {
        const t = self.typeFor(apiVersion, kind);
        const o = self.store.get(t.storage, t.namespaced ? namespace : undefined, name);
        return o ? { ...o, apiVersion, kind } : undefined;
      },
      list: (apiVersion, kind, namespace) => {
        const t = self.typeFor(apiVersion, kind);
        return self.store.list(t.storage, namespace).map((o) => ({ ...o, apiVersion, kind }));
      },
      put: (obj) => self.put(obj),
      delete: (apiVersion, kind, namespace, name) => {
        const t = self.typeFor(apiVersion, kind);
        return self.store.delete(t.storage, t.namespaced ? namespace : undefined, name) !== undefined;
      },
      appendLog: (namespace, pod, container, lines) => self.logs.append(namespace, pod, container, lines),
      compact: () => self.store.compact(),
      get resourceVersion() {
        return String(self.store.rv);
      },
    };
  }

  /** Creates or replaces an object without admission (seed data, test fixtures). */
  put(input: JsonObject): JsonObject {
    const t = this.typeFor(input.apiVersion, input.kind);
    const obj = clone(input);
    obj.metadata ??= {};
    const ns = t.namespaced ? (obj.metadata.namespace ?? 'default') : undefined;
    if (ns) obj.metadata.namespace = ns;
    const existing = this.store.get(t.storage, ns, obj.metadata.name);
    if (existing) {
      obj.metadata.uid ??= existing.metadata.uid;
      obj.metadata.creationTimestamp ??= existing.metadata.creationTimestamp;
      delete obj.metadata.resourceVersion;
      return this.store.update(t.storage, obj);
    }
    const res = this.api.create(t, ns, obj, { user: USERS.admin, track: false, fieldManager: 'kube-sim' });
    return this.store.get(t.storage, ns, res.body.metadata.name) ?? res.body;
  }

  asSimCluster(): SimCluster {
    return {
      name: this.opts.name,
      url: this.url,
      port: this.port,
      caPem: this.pki.caPem,
      tokens: { ...this.tokens },
      users: {
        admin: USERS.admin.username,
        view: USERS.view.username,
        edit: USERS.edit.username,
        teamAdmin: USERS.teamAdmin.username,
      },
      addFault: (f: Fault) => this.faults.add(f),
      clearFaults: () => this.faults.clear(),
      log: this.log,
      store: this.simStore(),
      settle: (ms?: number) => this.controllers.settle(ms),
      setTokenAuthenticator: (fn) => {
        this.tokenAuthenticator = fn;
      },
      dropConnections: () => this.dropConnections(),
    };
  }
}

export { randomUUID };

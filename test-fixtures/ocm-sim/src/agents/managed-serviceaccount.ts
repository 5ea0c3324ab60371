/**
 * The managed-serviceaccount add-on agent for one cluster (managed-serviceaccount pkg/addon/agent/controller):
 * for each ManagedServiceAccount in its hub namespace, a ServiceAccount in the add-on namespace on the managed
 * cluster, a token from the TokenRequest API valid for `spec.rotation.validity`, written to the hub as Secret
 * `<cluster>/<name>` (token + the managed cluster's CA) owned by the ManagedServiceAccount, and the status
 * (TokenReported, SecretCreated, expirationTimestamp, tokenSecretRef). Tokens are refreshed once less than
 * 20 % of their validity is left, and on demand; ServiceAccounts whose ManagedServiceAccount is gone are deleted.
 */
import type { K8sObject } from '../api-client.js';
import { Controller } from '../controller.js';
import { LABELS, MSA_V1BETA1, paths, rfc3339, sameJson, setConditions } from '../ocm.js';
import type { Agent } from './klusterlet.js';
import type { LeaseRenewer } from './lease.js';
import type { AgentIdentity } from './registration.js';

/** A token is refreshed when less than this share of its validity is left. */
const REFRESH_WHEN_LEFT = 0.2;

/** Go's time.Duration text (`8640h0m0s`, `90m`, `1h30m`) in seconds. */
export function parseGoDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new Error(`invalid duration "${text}"`);
  }
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0));
}

export class ManagedServiceAccountAgent implements Agent {
  readonly controllers: Controller[];
  private readonly controller: Controller;
  private refreshTimer: NodeJS.Timeout | undefined;
  private rotateAll = false;

  constructor(
    private readonly cluster: string,
    private readonly id: AgentIdentity,
    private readonly namespace: string,
    private readonly lease: LeaseRenewer,
    private readonly defaultValiditySeconds: number,
  ) {
    this.controller = new Controller(`managed-serviceaccount-agent/${cluster}`, [id.hub, id.managed], () =>
      this.reconcile(),
    ).watch(id.hub, paths.managedServiceAccounts(cluster));
    this.controllers = [this.controller];
  }

  start(): void {
    this.lease.start();
    this.controller.start();
  }

  pause(): void {
    this.lease.stop();
    this.controller.pause();
    clearTimeout(this.refreshTimer);
  }

  resume(): void {
    this.lease.start();
    this.controller.resume();
  }

  stop(): void {
    this.lease.stop();
    this.controller.stop();
    clearTimeout(this.refreshTimer);
  }

  /** Refreshes every token now, as when they near expiry. */
  async rotate(): Promise<void> {
    this.rotateAll = true;
    await this.controller.sync();
  }

  private async reconcile(): Promise<void> {
    const rotate = this.rotateAll;
    const msas = (await this.id.hub.list(paths.managedServiceAccounts(this.cluster))).filter(
      (m) => !m.metadata.deletionTimestamp,
    );
    let nextRefresh = Number.POSITIVE_INFINITY;
    for (const msa of msas) nextRefresh = Math.min(nextRefresh, await this.sync(msa, rotate));
    if (rotate) this.rotateAll = false;
    await this.removeOrphans(new Set(msas.map((m) => m.metadata.name as string)));
    clearTimeout(this.refreshTimer);
    if (Number.isFinite(nextRefresh)) {
      // setTimeout holds at most ~24.8 days; a longer wait is re-planned by the pass it triggers
      const ms = Math.min(Math.max(nextRefresh - Date.now(), 0), 2 ** 31 - 1);
      this.refreshTimer = setTimeout(() => this.controller.kick(), ms);
    }
  }

  private validitySeconds(msa: K8sObject): number {
    const v = msa.spec?.rotation?.validity;
    return typeof v === 'string' ? parseGoDuration(v) : this.defaultValiditySeconds;
  }

  /** Ensures the ServiceAccount, token Secret and status; returns when the token is next due (epoch ms). */
  private async sync(msa: K8sObject, rotate: boolean): Promise<number> {
    const name = msa.metadata.name as string;
    const validity = this.validitySeconds(msa);
    const created = await this.ensureServiceAccount(name);
    const secret = await this.id.hub.find(paths.secrets(this.cluster, name));
    const expires = Date.parse(msa.status?.expirationTimestamp ?? '');
    const dueAt = expires - REFRESH_WHEN_LEFT * validity * 1000;
    const due = rotate || created || !secret?.data?.token || !Number.isFinite(expires) || Date.now() >= dueAt;
    if (!due) return dueAt;

    const tr = await this.id.managed.create(paths.serviceAccounts(this.namespace, name, 'token'), {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: validity },
    });
    await this.writeSecret(msa, secret, tr.status.token);
    const expirationTimestamp = tr.status.expirationTimestamp as string;
    const status = {
      ...msa.status,
      conditions: setConditions(msa.status?.conditions, [
        { type: 'TokenReported', status: 'True', reason: 'TokenReported', message: '' },
        { type: 'SecretCreated', status: 'True', reason: 'SecretCreated', message: '' },
      ]),
      expirationTimestamp,
      tokenSecretRef: { name, lastRefreshTimestamp: rfc3339() },
    };
    await this.id.hub.replace(paths.managedServiceAccounts(this.cluster, name, 'status'), { ...msa, status });
    return Date.parse(expirationTimestamp) - REFRESH_WHEN_LEFT * validity * 1000;
  }

  /** True when it had to create the ServiceAccount (any token of an earlier one is dead). */
  private async ensureServiceAccount(name: string): Promise<boolean> {
    if (await this.id.managed.find(paths.serviceAccounts(this.namespace, name))) return false;
    await this.id.managed.create(paths.serviceAccounts(this.namespace), {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: this.namespace, labels: { [LABELS.managedServiceAccount]: 'true' } },
    });
    return true;
  }

  private async writeSecret(msa: K8sObject, existing: K8sObject | undefined, token: string): Promise<void> {
    const name = msa.metadata.name as string;
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        ...(existing?.metadata ?? {}),
        name,
        namespace: this.cluster,
        labels: { ...(existing?.metadata?.labels ?? {}), [LABELS.managedServiceAccount]: 'true' },
        ownerReferences: [
          { apiVersion: MSA_V1BETA1, kind: 'ManagedServiceAccount', name, uid: msa.metadata.uid },
        ],
      },
      type: 'Opaque',
      data: {
        'ca.crt': Buffer.from(this.id.managed.caPem).toString('base64'),
        token: Buffer.from(token).toString('base64'),
      },
    };
    if (existing && sameJson(secret.data, existing.data)) return;
    if (existing) await this.id.hub.replace(paths.secrets(this.cluster, name), secret);
    else await this.id.hub.create(paths.secrets(this.cluster), secret);
  }

  private async removeOrphans(wanted: Set<string>): Promise<void> {
    const sas = await this.id.managed.list(
      paths.serviceAccounts(this.namespace),
      `${LABELS.managedServiceAccount}=true`,
    );
    for (const sa of sas) {
      if (!wanted.has(sa.metadata.name))
        await this.id.managed.delete(paths.serviceAccounts(this.namespace, sa.metadata.name));
    }
  }
}

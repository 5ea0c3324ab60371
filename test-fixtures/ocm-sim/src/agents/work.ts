/**
 * The klusterlet's work agent for one managed cluster (ocm pkg/work/spoke): watches the ManifestWorks in its
 * hub namespace with its own hub identity, applies each manifest on the managed cluster, records what it
 * applied in an AppliedManifestWork, deletes manifests dropped from a work, writes the work's status, and on
 * deletion removes the applied resources (unless orphaned) before taking its finalizer off the work.
 */
import { createHash } from 'node:crypto';
import type { K8sObject } from '../api-client.js';
import { ApiError, resourcePath } from '../api-client.js';
import { Controller } from '../controller.js';
import { paths, sameJson, WORK_FINALIZER, WORK_V1 } from '../ocm.js';
import { contains } from './contains.js';
import { type ResourceInfo, RestMapper, splitApiVersion } from './discovery.js';
import type { Agent } from './klusterlet.js';
import type { AgentIdentity } from './registration.js';
import { type ManifestOutcome, statusFeedback, workStatus } from './work-status.js';

const FIELD_MANAGER = 'work-agent';

interface AppliedResource {
  group: string;
  version: string;
  resource: string;
  namespace: string;
  name: string;
  uid?: string;
}

const sameResource = (a: AppliedResource, b: AppliedResource) =>
  a.group === b.group && a.resource === b.resource && a.namespace === b.namespace && a.name === b.name;

const resourceUrl = (r: AppliedResource) =>
  resourcePath(r.group ? `${r.group}/${r.version}` : r.version, r.resource, r.namespace || undefined, r.name);

/** The hash of the hub's API server URL that prefixes AppliedManifestWork names. */
export const hubHash = (hubUrl: string) => createHash('sha256').update(hubUrl).digest('hex');

function manifestConfig(work: K8sObject, r: AppliedResource): K8sObject | undefined {
  return ((work.spec?.manifestConfigs ?? []) as K8sObject[]).find((c) => {
    const id = c.resourceIdentifier ?? {};
    return (
      (id.group ?? '') === r.group &&
      id.resource === r.resource &&
      id.name === r.name &&
      (id.namespace ?? '') === r.namespace
    );
  });
}

/** Whether deleting the work leaves this resource in place (deleteOption Orphan / SelectivelyOrphan). */
function orphaned(work: K8sObject, r: AppliedResource): boolean {
  const opt = work.spec?.deleteOption ?? {};
  if (opt.propagationPolicy === 'Orphan') return true;
  if (opt.propagationPolicy !== 'SelectivelyOrphan') return false;
  return ((opt.selectivelyOrphans?.orphaningRules ?? []) as K8sObject[]).some((rule) =>
    sameResource(r, {
      group: rule.group ?? '',
      version: '',
      resource: rule.resource,
      namespace: rule.namespace ?? '',
      name: rule.name,
    }),
  );
}

export class WorkAgent implements Agent {
  readonly controllers: Controller[];
  private readonly controller: Controller;
  private readonly mapper: RestMapper;

  constructor(
    private readonly cluster: string,
    private readonly id: AgentIdentity,
    private readonly hash: string,
  ) {
    this.mapper = new RestMapper(id.managed);
    this.controller = new Controller(`work-agent/${cluster}`, [id.hub, id.managed], () =>
      this.reconcile(),
    ).watch(id.hub, paths.manifestWorks(cluster));
    this.controllers = [this.controller];
  }

  start = () => this.controller.start();
  pause = () => this.controller.pause();
  resume = () => this.controller.resume();
  stop = () => this.controller.stop();

  private appliedName = (work: string) => `${this.hash}-${work}`;

  private async reconcile(): Promise<'waiting' | undefined> {
    this.mapper.reset();
    let works: K8sObject[];
    try {
      works = await this.id.hub.list(paths.manifestWorks(this.cluster));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) return; // not accepted (yet)
      throw e;
    }
    const applied = (await this.id.managed.list(paths.appliedManifestWorks())).filter(
      (a) => a.spec?.hubHash === this.hash,
    );
    let waiting = false;
    for (const work of works) {
      const amw = applied.find((a) => a.metadata.name === this.appliedName(work.metadata.name));
      if (work.metadata.deletionTimestamp) {
        if (await this.finalize(work, amw)) waiting = true;
      } else {
        await this.sync(work, amw);
      }
    }
    // AppliedManifestWorks whose work is gone from the hub: their resources go too (the agent's GC)
    const names = new Set(works.map((w) => this.appliedName(w.metadata.name)));
    for (const amw of applied.filter((a) => !names.has(a.metadata.name))) {
      if (await this.removeResources(this.appliedResources(amw), () => false)) waiting = true;
      else await this.id.managed.delete(paths.appliedManifestWorks(amw.metadata.name));
    }
    return waiting ? 'waiting' : undefined;
  }

  private appliedResources(amw: K8sObject | undefined): AppliedResource[] {
    return (amw?.status?.appliedResources ?? []) as AppliedResource[];
  }

  /** Deletes resources (those `keep` spares excepted); true while some are still going away. */
  private async removeResources(
    resources: AppliedResource[],
    keep: (r: AppliedResource) => boolean,
  ): Promise<boolean> {
    let pending = false;
    for (const r of resources) {
      if (keep(r)) continue;
      const live = await this.id.managed.find(resourceUrl(r));
      if (!live || (r.uid && live.metadata?.uid !== r.uid)) continue; // gone, or someone else's now
      if (!live.metadata?.deletionTimestamp) await this.id.managed.delete(resourceUrl(r), 'Foreground');
      pending = true;
    }
    return pending;
  }

  /** A deleted work: remove what it applied, then its AppliedManifestWork and the finalizer. */
  private async finalize(work: K8sObject, amw: K8sObject | undefined): Promise<boolean> {
    if (!(work.metadata.finalizers ?? []).includes(WORK_FINALIZER)) return false;
    if (await this.removeResources(this.appliedResources(amw), (r) => orphaned(work, r))) return true;
    if (amw) await this.id.managed.delete(paths.appliedManifestWorks(amw.metadata.name));
    const finalizers = (work.metadata.finalizers as string[]).filter((f) => f !== WORK_FINALIZER);
    await this.id.hub.replace(paths.manifestWorks(this.cluster, work.metadata.name), {
      ...work,
      metadata: { ...work.metadata, finalizers },
    });
    return false;
  }

  private async sync(work: K8sObject, existing: K8sObject | undefined): Promise<void> {
    const name = work.metadata.name as string;
    if (!(work.metadata.finalizers ?? []).includes(WORK_FINALIZER)) {
      work = await this.id.hub.replace(paths.manifestWorks(this.cluster, name), {
        ...work,
        metadata: { ...work.metadata, finalizers: [...(work.metadata.finalizers ?? []), WORK_FINALIZER] },
      });
    }
    const amw =
      existing ??
      (await this.id.managed.create(paths.appliedManifestWorks(), {
        apiVersion: WORK_V1,
        kind: 'AppliedManifestWork',
        metadata: { name: this.appliedName(name) },
        spec: { hubHash: this.hash, agentID: this.cluster, manifestWorkName: name },
      }));

    const outcomes: ManifestOutcome[] = [];
    const desired: AppliedResource[] = [];
    const appliedNow: AppliedResource[] = [];
    for (const [ordinal, manifest] of ((work.spec?.workload?.manifests ?? []) as K8sObject[]).entries()) {
      const r = await this.applyManifest(work, ordinal, manifest);
      outcomes.push(r.outcome);
      if (r.target) desired.push(r.target);
      if (r.applied) appliedNow.push(r.applied);
    }

    // manifests dropped from the work are deleted from the cluster; one that failed this time keeps its record
    const before = this.appliedResources(amw);
    await this.removeResources(
      before.filter((r) => !desired.some((d) => sameResource(d, r))),
      () => false,
    );
    const kept = before.filter(
      (r) => desired.some((d) => sameResource(d, r)) && !appliedNow.some((a) => sameResource(a, r)),
    );
    const appliedResources = [...appliedNow, ...kept];
    if (!sameJson(appliedResources, before)) {
      await this.id.managed.replace(paths.appliedManifestWorks(amw.metadata.name, 'status'), {
        ...amw,
        status: { ...amw.status, appliedResources },
      });
    }

    const status = workStatus(work, outcomes);
    if (!sameJson(status, work.status)) {
      await this.id.hub.replace(paths.manifestWorks(this.cluster, name, 'status'), { ...work, status });
    }
  }

  private async applyManifest(
    work: K8sObject,
    ordinal: number,
    manifest: K8sObject,
  ): Promise<{ outcome: ManifestOutcome; target?: AppliedResource; applied?: AppliedResource }> {
    const { group, version } = splitApiVersion(String(manifest.apiVersion ?? ''));
    const resourceMeta: K8sObject = {
      ordinal,
      group,
      version,
      kind: manifest.kind ?? '',
      resource: '',
      name: manifest.metadata?.name ?? '',
      namespace: manifest.metadata?.namespace ?? '',
    };
    let info: ResourceInfo;
    try {
      info = await this.mapper.map(String(manifest.apiVersion), String(manifest.kind));
    } catch (e) {
      return { outcome: { resourceMeta, error: (e as Error).message, exists: false } };
    }
    const namespace = info.namespaced ? (manifest.metadata?.namespace ?? '') : '';
    resourceMeta.resource = info.resource;
    resourceMeta.namespace = namespace;
    const target: AppliedResource = {
      group,
      version,
      resource: info.resource,
      namespace,
      name: resourceMeta.name,
    };
    const config = manifestConfig(work, target);
    const url = resourceUrl(target);
    let error: string | undefined;
    let live: K8sObject | undefined;
    try {
      live = await this.write(url, manifest, config?.updateStrategy ?? { type: 'Update' });
    } catch (e) {
      error = e instanceof ApiError ? e.message : String(e);
      live = await this.id.managed.find(url).catch(() => undefined);
    }
    const feedback = statusFeedback((config?.feedbackRules ?? []) as K8sObject[], live);
    const outcome: ManifestOutcome = { resourceMeta, exists: live !== undefined };
    if (error !== undefined) outcome.error = error;
    if (feedback !== undefined) outcome.feedback = feedback;
    if (error !== undefined || !live) return { outcome, target };
    return { outcome, target, applied: { ...target, uid: live.metadata?.uid } };
  }

  /** Applies one manifest by its update strategy; the live object after. */
  private async write(url: string, manifest: K8sObject, strategy: K8sObject): Promise<K8sObject | undefined> {
    const client = this.id.managed;
    const live = await client.find(url);
    const collection = url.slice(0, url.lastIndexOf('/'));
    switch (strategy.type) {
      case 'ReadOnly':
        return live;
      case 'CreateOnly':
        return live ?? (await client.create(collection, manifest));
      case 'ServerSideApply':
        if (live && contains(live, manifest)) return live;
        return client.apply(
          url,
          manifest,
          strategy.serverSideApply?.fieldManager ?? FIELD_MANAGER,
          strategy.serverSideApply?.force === true,
        );
      default: {
        if (!live) return client.create(collection, manifest);
        if (contains(live, manifest)) return live;
        // Update: the manifest's top-level fields replace the live object's, metadata merged
        const next: K8sObject = { ...live };
        for (const [k, v] of Object.entries(manifest)) if (k !== 'metadata' && k !== 'status') next[k] = v;
        next.metadata = {
          ...live.metadata,
          labels: { ...(live.metadata?.labels ?? {}), ...(manifest.metadata?.labels ?? {}) },
          annotations: { ...(live.metadata?.annotations ?? {}), ...(manifest.metadata?.annotations ?? {}) },
        };
        return client.replace(url, next);
      }
    }
  }
}

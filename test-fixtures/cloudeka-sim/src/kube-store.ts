import type { Prng } from 'sim-kit';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The objects of one project's vcluster, keyed by resource (plural), namespace ('' if cluster-scoped), name. */
export class KubeStore {
  private readonly objects = new Map<string, KubeObject>();
  private version = 4100;

  constructor(private readonly rng: Prng) {}

  private key(resource: string, namespace: string, name: string): string {
    return `${resource}\u0000${namespace}\u0000${name}`;
  }

  nextVersion(): string {
    this.version += 1;
    return String(this.version);
  }

  uid(): string {
    return this.rng.uuid();
  }

  /** An address in a /16, deterministic like the rest of the ids. */
  ip(prefix: string): string {
    return `${prefix}.${this.rng.int(250) + 2}.${this.rng.int(250) + 2}`;
  }

  suffix(length: number): string {
    const chars = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < length; i++) out += chars[this.rng.int(chars.length)];
    return out;
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [key, obj] of this.objects) {
      const [r, ns] = key.split('\u0000');
      if (r === resource && (namespace === undefined || ns === namespace)) out.push(obj);
    }
    return out.sort(
      (a, b) =>
        (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(this.key(resource, namespace, name));
  }

  put(resource: string, obj: KubeObject): KubeObject {
    this.objects.set(this.key(resource, obj.metadata.namespace ?? '', obj.metadata.name), obj);
    return obj;
  }

  remove(resource: string, namespace: string, name: string): boolean {
    return this.objects.delete(this.key(resource, namespace, name));
  }

  /** Removes every object of a resource (a CRD's custom resources) or in a namespace. */
  removeWhere(match: (resource: string, obj: KubeObject) => boolean): void {
    for (const [key, obj] of this.objects) if (match(key.split('\u0000')[0]!, obj)) this.objects.delete(key);
  }
}

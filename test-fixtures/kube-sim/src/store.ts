import { EXPIRED_CONTINUE, gone } from './errors.js';
import { clone, type JsonObject } from './patch.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  storage: string;
  key: string;
  object: JsonObject;
  /** The object before this event (MODIFIED and DELETED). */
  prev?: JsonObject;
}

export type StoreListener = (ev: StoreEvent) => void;

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The cluster's "etcd": objects per storage (group/resource), one global revision counter that stamps
 * metadata.resourceVersion, and a bounded event history used for watches, consistent paginated lists
 * and resourceVersion semantics. Entries older than the history window are compacted: watches from such
 * a revision get 410 Gone and continue tokens 410 Expired.
 */
export class Store {
  private data = new Map<string, Map<string, JsonObject>>();
  private history: StoreEvent[] = [];
  private listeners = new Set<StoreListener>();
  rv = 1;
  /** Revisions at or below this one are no longer in the history. */
  compactedRv = 1;

  constructor(private readonly historyLimit = 20_000) {}

  private bucket(storage: string): Map<string, JsonObject> {
    let b = this.data.get(storage);
    if (!b) {
      b = new Map();
      this.data.set(storage, b);
    }
    return b;
  }

  get(storage: string, namespace: string | undefined, name: string): JsonObject | undefined {
    const o = this.data.get(storage)?.get(objectKey(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Objects without copying; callers must not mutate them. */
  peekAll(storage: string, namespace?: string): JsonObject[] {
    const b = this.data.get(storage);
    if (!b) return [];
    const keys = [...b.keys()].sort(byKey);
    const out: JsonObject[] = [];
    for (const k of keys) {
      const o = b.get(k)!;
      if (namespace && o.metadata?.namespace !== namespace) continue;
      out.push(o);
    }
    return out;
  }

  list(storage: string, namespace?: string): JsonObject[] {
    return this.peekAll(storage, namespace).map(clone);
  }

  storages(): string[] {
    return [...this.data.keys()];
  }

  /** Objects of a storage as they were at revision `rv` (for continue tokens); 410 when compacted. */
  listAt(storage: string, rv: number, namespace?: string): [string, JsonObject][] {
    if (rv < this.compactedRv) throw gone(EXPIRED_CONTINUE);
    const state = new Map(this.data.get(storage) ?? []);
    for (let i = this.history.length - 1; i >= 0; i--) {
      const ev = this.history[i]!;
      if (ev.rv <= rv) break;
      if (ev.storage !== storage) continue;
      if (ev.type === 'ADDED') state.delete(ev.key);
      else if (ev.prev) state.set(ev.key, ev.prev);
    }
    return [...state.entries()]
      .filter(([, o]) => !namespace || o.metadata?.namespace === namespace)
      .sort(([a], [b]) => byKey(a, b));
  }

  private record(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length > this.historyLimit) {
      const drop = Math.floor(this.historyLimit / 4);
      this.compactedRv = this.history[drop - 1]!.rv;
      this.history.splice(0, drop);
    }
    for (const l of [...this.listeners]) l(ev);
  }

  /** Drops all history up to `rv` (default: everything), as etcd compaction does. */
  compact(rv = this.rv): void {
    this.history = this.history.filter((e) => e.rv > rv);
    this.compactedRv = Math.max(this.compactedRv, rv);
  }

  /** History events after `rv`, or undefined when `rv` is older than the retained window. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const i = this.history.findIndex((e) => e.rv > rv);
    return i < 0 ? [] : this.history.slice(i);
  }

  subscribe(l: StoreListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private stamp(obj: JsonObject): number {
    this.rv += 1;
    obj.metadata ??= {};
    obj.metadata.resourceVersion = String(this.rv);
    return this.rv;
  }

  create(storage: string, obj: JsonObject): JsonObject {
    const key = objectKey(obj.metadata?.namespace, obj.metadata?.name);
    const stored = clone(obj);
    const rv = this.stamp(stored);
    this.bucket(storage).set(key, stored);
    this.record({ rv, type: 'ADDED', storage, key, object: stored });
    return clone(stored);
  }

  update(storage: string, obj: JsonObject): JsonObject {
    const key = objectKey(obj.metadata?.namespace, obj.metadata?.name);
    const b = this.bucket(storage);
    const prev = b.get(key);
    const stored = clone(obj);
    const rv = this.stamp(stored);
    b.set(key, stored);
    this.record({
      rv,
      type: prev ? 'MODIFIED' : 'ADDED',
      storage,
      key,
      object: stored,
      ...(prev ? { prev } : {}),
    });
    return clone(stored);
  }

  delete(storage: string, namespace: string | undefined, name: string): JsonObject | undefined {
    const key = objectKey(namespace, name);
    const b = this.data.get(storage);
    const prev = b?.get(key);
    if (!b || !prev) return undefined;
    b.delete(key);
    const gone = clone(prev);
    const rv = this.stamp(gone);
    this.record({ rv, type: 'DELETED', storage, key, object: gone, prev });
    return clone(gone);
  }
}

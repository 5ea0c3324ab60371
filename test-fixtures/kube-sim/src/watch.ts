/** Watch streams: chunked newline-delimited JSON events with resourceVersion semantics and optional bookmarks. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toServedVersion } from './api.js';
import { badRequest } from './errors.js';
import type { JsonObject } from './patch.js';
import type { ResourceType } from './resources.js';
import {
  checkFieldSelector,
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.js';
import type { Store, StoreEvent } from './store.js';

export interface WatchOutput {
  contentType: string;
  /** Converts a served object to what the event carries (itself, a one-row Table, metadata only). */
  convert(obj: JsonObject, first: boolean): JsonObject;
}

export interface WatchParams {
  type: ResourceType;
  namespace?: string;
  query: URLSearchParams;
  extraFields: string[];
}

export class Watches {
  private active = new Set<() => void>();

  closeAll(): void {
    for (const stop of [...this.active]) stop();
  }

  get count(): number {
    return this.active.size;
  }

  /** Registers another long-running response (pods/log?follow) to end when the cluster closes. */
  serveStop(stop: () => void, res: ServerResponse): void {
    const once = () => {
      if (!this.active.has(once)) return;
      this.active.delete(once);
      stop();
    };
    this.active.add(once);
    res.on('close', once);
  }

  serve(
    store: Store,
    req: IncomingMessage,
    res: ServerResponse,
    p: WatchParams,
    out: WatchOutput,
    headers: Record<string, string>,
  ): void {
    const t = p.type;
    const labels = parseLabelSelector(p.query.get('labelSelector'));
    const fields = parseFieldSelector(p.query.get('fieldSelector'));
    checkFieldSelector(fields, `${t.group}/${t.plural}`, p.extraFields);
    const rvParam = p.query.get('resourceVersion') ?? '';
    const bookmarks = p.query.get('allowWatchBookmarks') === 'true';
    const sendInitial = p.query.get('sendInitialEvents') === 'true';
    if (sendInitial && p.query.get('resourceVersionMatch') !== 'NotOlderThan') {
      throw badRequest(
        'sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan',
      );
    }
    const timeoutParam = p.query.get('timeoutSeconds');
    const timeoutSec = timeoutParam ? Number(timeoutParam) : 1800 + Math.floor(Math.random() * 1800);
    let startRv = 0;
    if (rvParam && rvParam !== '0') {
      startRv = Number(rvParam);
      if (!Number.isFinite(startRv)) throw badRequest(`invalid resource version: ${rvParam}`);
    }

    const selected = (o: JsonObject | undefined) =>
      !!o &&
      (!p.namespace || o.metadata?.namespace === p.namespace) &&
      matchLabels(labels, o.metadata?.labels) &&
      matchFields(fields, o);

    res.writeHead(200, { ...headers, 'Content-Type': out.contentType, 'Cache-Control': 'no-cache, private' });
    res.flushHeaders();
    let first = true;
    const write = (type: string, obj: JsonObject) => {
      const object = type === 'ERROR' || type === 'BOOKMARK' ? obj : out.convert(obj, first);
      first = false;
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const bookmark = (rv: number, initialEnd = false) => {
      const meta: JsonObject = { resourceVersion: String(rv) };
      if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
      write('BOOKMARK', {
        kind: t.kind,
        apiVersion: t.group ? `${t.group}/${t.version}` : t.version,
        metadata: meta,
      });
    };

    const emit = (ev: StoreEvent) => {
      if (ev.storage !== t.storage) return;
      const now = selected(ev.object);
      const before = ev.type === 'MODIFIED' && selected(ev.prev);
      if (ev.type === 'ADDED' && now) write('ADDED', toServedVersion(t, ev.object));
      else if (ev.type === 'DELETED' && selected(ev.prev ?? ev.object))
        write('DELETED', toServedVersion(t, ev.object));
      else if (ev.type === 'MODIFIED') {
        if (now && before) write('MODIFIED', toServedVersion(t, ev.object));
        else if (now) write('ADDED', toServedVersion(t, ev.object));
        else if (before) write('DELETED', toServedVersion(t, ev.object));
      }
    };

    // Subscribe first so nothing is lost between the replay and live events.
    const pending: StoreEvent[] = [];
    let live = false;
    const unsubscribe = store.subscribe((ev) => {
      if (live) emit(ev);
      else pending.push(ev);
    });

    if (startRv === 0 || sendInitial) {
      const rvNow = store.rv;
      for (const o of store.peekAll(t.storage, p.namespace))
        if (selected(o)) write('ADDED', toServedVersion(t, o));
      if (sendInitial && bookmarks) bookmark(rvNow, true);
      for (const ev of pending) if (ev.rv > rvNow) emit(ev);
    } else {
      const history = store.eventsSince(startRv);
      if (!history) {
        write('ERROR', {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${startRv} (${store.compactedRv})`,
          reason: 'Expired',
          code: 410,
        });
        unsubscribe();
        res.end();
        return;
      }
      const last = history.length ? history[history.length - 1]!.rv : startRv;
      for (const ev of history) emit(ev);
      for (const ev of pending) if (ev.rv > last) emit(ev);
    }
    live = true;

    const interval = bookmarks ? setInterval(() => bookmark(store.rv), 60_000) : undefined;
    const timer = setTimeout(() => stop(), timeoutSec * 1000);
    const stop = () => {
      if (!this.active.has(stop)) return;
      this.active.delete(stop);
      unsubscribe();
      clearTimeout(timer);
      if (interval) clearInterval(interval);
      if (!res.writableEnded) res.end();
    };
    this.active.add(stop);
    req.on('close', stop);
    res.on('close', stop);
  }
}

/**
 * A level-triggered controller: watches kick a pass, a pass reads what it needs fresh from the API and makes
 * the world match. Passes never overlap. `sync()` runs one more pass and says whether it changed anything
 * (or waits on something), which is how the sim's settle() knows every controller has caught up.
 */
import type { ApiClient } from './api-client.js';

/** A pass; 'waiting' when it waits on something that takes time (a deletion): another pass follows soon. */
export type Reconcile = () => Promise<void> | Promise<'waiting' | undefined>;

/** What a pass did: wrote or failed ('changed'), waits on time ('waiting'), or found nothing to do. */
export type PassResult = 'changed' | 'waiting' | 'idle';

/** How soon a waiting controller looks again. */
const WAITING_RECHECK_MS = 200;

export class Controller {
  private chain: Promise<unknown> = Promise.resolve();
  private queued = false;
  private paused = false;
  private stopped = false;
  private readonly watches: { stop(): void }[] = [];
  private readonly watchSpecs: { client: ApiClient; path: string }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  /** The last pass's error (a pass that failed is retried after `retryMs`). */
  lastError: unknown;

  constructor(
    readonly name: string,
    private readonly clients: ApiClient[],
    private readonly reconcile: Reconcile,
    private readonly opts: { resyncMs?: number; retryMs?: number } = {},
  ) {}

  /** Kicks a pass on every event of this collection (or object). */
  watch(client: ApiClient, path: string): this {
    this.watchSpecs.push({ client, path });
    return this;
  }

  start(): this {
    this.openWatches();
    if (this.opts.resyncMs) this.timer = setInterval(() => this.kick(), this.opts.resyncMs);
    this.kick();
    return this;
  }

  /** Schedules a pass (several kicks before it starts make one pass). */
  kick(): void {
    if (this.queued || this.paused || this.stopped) return;
    this.queued = true;
    this.chain = this.chain.then(() => {
      this.queued = false;
      return this.runPass();
    });
  }

  /** Kicks a pass after `ms` (a pass waiting on something that takes time, e.g. a deletion). */
  requeue(ms: number): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = setTimeout(() => this.kick(), ms);
  }

  /** Runs a pass after any queued one, and says what it (or a pass queued meanwhile) did. */
  async sync(): Promise<PassResult> {
    if (this.paused || this.stopped) return 'idle';
    const before = this.writes();
    const pass = this.chain.then(() => this.runPass());
    this.chain = pass;
    const result = await pass;
    return result === 'changed' || this.writes() !== before ? 'changed' : result;
  }

  /** Stops acting (its cluster is down): no watches, no passes, until resume(). */
  pause(): void {
    this.paused = true;
    this.closeWatches();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.openWatches();
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    this.closeWatches();
    if (this.timer) clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
  }

  private writes(): number {
    return this.clients.reduce((n, c) => n + c.writes, 0);
  }

  private openWatches(): void {
    for (const w of this.watchSpecs) this.watches.push(w.client.watch(w.path, () => this.kick()));
  }

  private closeWatches(): void {
    for (const w of this.watches.splice(0)) w.stop();
  }

  private async runPass(): Promise<PassResult> {
    if (this.paused || this.stopped) return 'idle';
    try {
      const waiting = (await this.reconcile()) === 'waiting';
      this.lastError = undefined;
      if (waiting) this.requeue(WAITING_RECHECK_MS);
      return waiting ? 'waiting' : 'idle';
    } catch (e) {
      this.lastError = e;
      if (!this.stopped && !this.paused) this.requeue(this.opts.retryMs ?? 500);
      return 'changed';
    }
  }
}

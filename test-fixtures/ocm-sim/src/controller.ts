/**
 * A level-triggered controller: watches kick a pass, a pass reads what it needs fresh from the API and makes
 * the world match. Passes never overlap. `sync()` runs one more pass and says whether it changed anything,
 * which is how the sim's settle() knows every controller has caught up.
 */
import type { ApiClient } from './api-client.js';

export type Reconcile = () => Promise<void>;

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

  /** Runs a pass after any queued one; true when it (or a pass queued meanwhile) wrote or failed. */
  async sync(): Promise<boolean> {
    if (this.paused || this.stopped) return false;
    const before = this.writes();
    const pass = this.chain.then(() => this.runPass());
    this.chain = pass;
    const ok = await pass;
    return !ok || this.writes() !== before;
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

  private async runPass(): Promise<boolean> {
    if (this.paused || this.stopped) return true;
    try {
      await this.reconcile();
      this.lastError = undefined;
      return true;
    } catch (e) {
      this.lastError = e;
      if (!this.stopped && !this.paused) {
        if (this.retry) clearTimeout(this.retry);
        this.retry = setTimeout(() => this.kick(), this.opts.retryMs ?? 500);
      }
      return false;
    }
  }
}

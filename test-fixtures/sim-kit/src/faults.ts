export type FaultKind = 'latency' | 'status' | 'reset' | 'hang' | 'malformed';

export const FAULT_KINDS: readonly FaultKind[] = ['latency', 'status', 'reset', 'hang', 'malformed'];

/** What every simulator's fault has; each adds its own match field (a command, a route...). */
export interface FaultSpec {
  kind: FaultKind;
  /** latency: delay before the request is processed normally. */
  ms?: number;
  /** status: the HTTP status to answer. */
  status?: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** How many matching requests this fault hits; default 1, Infinity allowed. */
  times?: number;
}

/** Armed faults, consumed first-added-first by matching requests. */
export class Faults<F extends { times?: number }, K> {
  private armed: (F & { left: number })[] = [];

  /** `match` tells whether an armed fault hits a request described by the caller's key. */
  constructor(private readonly match: (fault: F, key: K) => boolean) {}

  add(fault: F): void {
    this.armed.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  take(key: K): F | undefined {
    const i = this.armed.findIndex((f) => this.match(f, key));
    if (i < 0) return undefined;
    const fault = this.armed[i]!;
    if (--fault.left <= 0) this.armed.splice(i, 1);
    return fault;
  }
}

/**
 * Validates a fault received as JSON; `times` may be the string "Infinity" since JSON has no Infinity.
 * `matchKey` names the simulator's optional string field that selects requests.
 */
export function parseFault<F extends FaultSpec>(
  body: unknown,
  matchKey: Exclude<keyof F, keyof FaultSpec>,
): F {
  if (typeof body !== 'object' || body === null) throw new Error('fault must be a JSON object');
  const b = body as Record<string, unknown>;
  if (!FAULT_KINDS.includes(b.kind as FaultKind)) {
    throw new Error(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  }
  const num = (key: string): number | undefined => {
    const v = b[key];
    if (v === undefined || v === null) return undefined;
    if (key === 'times' && v === 'Infinity') return Number.POSITIVE_INFINITY;
    if (typeof v !== 'number' || !(v >= 0)) throw new Error(`${key} must be a non-negative number`);
    return v;
  };
  const name = String(matchKey);
  if (b[name] !== undefined && typeof b[name] !== 'string') throw new Error(`${name} must be a string`);
  const fault: Record<string, unknown> = { kind: b.kind as FaultKind };
  if (b[name] !== undefined) fault[name] = b[name];
  for (const key of ['ms', 'status', 'retryAfter', 'times'] as const) {
    const v = num(key);
    if (v !== undefined) fault[key] = v;
  }
  return fault as F;
}

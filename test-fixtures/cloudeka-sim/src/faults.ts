import type { Fault, FaultKind } from './types.js';

const KINDS: readonly FaultKind[] = ['latency', 'status', 'reset', 'hang', 'malformed'];

function matches(fault: Fault, method: string, route: string): boolean {
  if (fault.route === undefined) return true;
  const space = fault.route.indexOf(' ');
  if (space < 0) return fault.route === route;
  return (
    fault.route.slice(0, space).toUpperCase() === method && fault.route.slice(space + 1).trim() === route
  );
}

/** Armed faults, consumed first-added-first by matching requests. */
export class Faults {
  private armed: (Fault & { left: number })[] = [];

  add(fault: Fault): void {
    this.armed.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.armed = [];
  }

  /** The next fault for a request to `route` (its template, '' when none matched). */
  take(method: string, route: string): Fault | undefined {
    const i = this.armed.findIndex((f) => matches(f, method, route));
    if (i < 0) return undefined;
    const fault = this.armed[i]!;
    if (--fault.left <= 0) this.armed.splice(i, 1);
    return fault;
  }
}

/** Validates a fault received as JSON; `times` may be the string "Infinity" since JSON has no Infinity. */
export function parseFault(body: unknown): Fault {
  if (typeof body !== 'object' || body === null) throw new Error('fault must be a JSON object');
  const b = body as Record<string, unknown>;
  if (!KINDS.includes(b.kind as FaultKind)) throw new Error(`kind must be one of ${KINDS.join(', ')}`);
  const num = (key: string): number | undefined => {
    const v = b[key];
    if (v === undefined || v === null) return undefined;
    if (key === 'times' && v === 'Infinity') return Number.POSITIVE_INFINITY;
    if (typeof v !== 'number' || !(v >= 0)) throw new Error(`${key} must be a non-negative number`);
    return v;
  };
  if (b.route !== undefined && typeof b.route !== 'string') throw new Error('route must be a string');
  const fault: Fault = { kind: b.kind as FaultKind };
  if (b.route !== undefined) fault.route = b.route as string;
  for (const key of ['ms', 'status', 'retryAfter', 'times'] as const) {
    const v = num(key);
    if (v !== undefined) fault[key] = v;
  }
  return fault;
}

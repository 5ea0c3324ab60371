import { createHash, randomBytes } from 'node:crypto';
import { createRequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';

/**
 * What a confirmation round carries between the question and the user's answer (protocol revision
 * 2026-07-28 multi round-trip requests, and the SDK's legacy shim on 2025-era connections). The client holds
 * it and echoes it back, so it is sealed: HMAC-SHA256 by the SDK's codec, bound to the caller (the codec's
 * `bind`, which keeps the caller's identity off the wire), with an expiry; here it is also bound to the tool
 * and a digest of its arguments, and carries a nonce that is accepted once.
 */
export interface ConfirmState {
  tool: string;
  /** sha256 of the call's arguments (canonical JSON, `confirm` left out). */
  args: string;
  /** The steps the user already agreed to in this call, oldest first. */
  confirmed: string[];
  /** The step this round asks about. */
  pending: string;
  nonce: string;
}

export interface StateSealOptions {
  /** The HMAC key, at least 32 bytes; every process that may receive a retry needs the same one. */
  key?: string;
  /** How long the user has to answer. */
  ttlSeconds?: number;
}

export interface StateSeal {
  mint(state: Omit<ConfirmState, 'nonce'>, ctx: ServerContext): Promise<string>;
  /** The SDK's verify hook: runs before the handler whenever a request carries `requestState`. */
  verify(state: string, ctx: ServerContext): Promise<ConfirmState>;
  /** Marks a state's nonce used; false when it was used before (a replay). */
  consume(state: ConfirmState): boolean;
}

/** Who is calling, as the transport established it: the digest the HTTP transport puts in `authInfo`. */
export function callerOf(ctx: ServerContext): string {
  const caller = ctx.http?.authInfo?.extra?.['caller'];
  return typeof caller === 'string' ? caller : 'stdio';
}

/** Canonical JSON (keys sorted) of a call's arguments, hashed. */
export function argumentsDigest(args: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(args)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const MAX_REMEMBERED_NONCES = 100_000;

export function createStateSeal(options: StateSealOptions = {}): StateSeal {
  const ttlSeconds = options.ttlSeconds ?? 600;
  const codec = createRequestStateCodec<ConfirmState>({
    key: options.key ?? randomBytes(32),
    ttlSeconds,
    // the tool call's method and the caller: a state minted for one caller is refused for another
    bind: (ctx) => `${ctx.mcpReq.method}\0${callerOf(ctx)}`,
  });
  // nonce → when its state expires; a used nonce is remembered until then (states past it fail verify)
  const used = new Map<string, number>();
  const forgetExpired = (now: number) => {
    for (const [nonce, expires] of used) {
      if (expires > now && used.size < MAX_REMEMBERED_NONCES) break;
      used.delete(nonce);
    }
  };
  return {
    mint: (state, ctx) => codec.mint({ ...state, nonce: randomBytes(16).toString('base64url') }, ctx),
    verify: async (wire, ctx) => {
      const state = await codec.verify(wire, ctx);
      if (!isConfirmState(state)) throw new Error('malformed');
      return state;
    },
    consume: (state) => {
      const now = Date.now();
      forgetExpired(now);
      if (used.has(state.nonce)) return false;
      used.set(state.nonce, now + ttlSeconds * 1000);
      return true;
    },
  };
}

function isConfirmState(value: unknown): value is ConfirmState {
  const v = value as Partial<ConfirmState> | null;
  return (
    typeof v?.tool === 'string' &&
    typeof v.args === 'string' &&
    typeof v.pending === 'string' &&
    typeof v.nonce === 'string' &&
    Array.isArray(v.confirmed) &&
    v.confirmed.every((step) => typeof step === 'string')
  );
}

import type { RouteContract } from './contract.js';

/** One method + path template and the one request shape it accepts. */
export interface RouteDef {
  key: string;
  method: string;
  path: string;
  segments: string[];
  contract: RouteContract;
}

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Matches `METHOD /path` against the templates. When several match, the most specific wins: literal segments
 * beat parameters, compared left to right (`/core/kubernetes/services` beats `/core/kubernetes/:resource`).
 */
export class Router {
  private readonly routes = new Map<string, RouteDef>();

  constructor(contracts: RouteContract[]) {
    for (const contract of contracts) {
      const { key, method, path } = contract;
      this.routes.set(key, { key, method, path, segments: path.split('/').slice(1), contract });
    }
  }

  all(): RouteDef[] {
    return [...this.routes.values()];
  }

  match(method: string, rawPath: string): RouteMatch | undefined {
    const raw = rawPath.split('/').slice(1);
    const segments = raw.map(decode);
    if (segments.some((s) => s === undefined || s === '')) return undefined;
    let best: { match: RouteMatch; score: number[] } | undefined;
    for (const route of this.routes.values()) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const score: number[] = [];
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const t = route.segments[i]!;
        const s = segments[i]!;
        if (t.startsWith(':')) {
          params[t.slice(1)] = s;
          score.push(0);
        } else {
          ok = t === raw[i];
          score.push(1);
        }
      }
      if (ok && (!best || compare(score, best.score) > 0)) best = { match: { route, params }, score };
    }
    return best?.match;
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

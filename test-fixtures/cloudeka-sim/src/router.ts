import { type EndpointTool, routeKey } from './endpoints.js';

/** One method + path template, with every seed tool that calls it (some routes serve two tools). */
export interface RouteDef {
  key: string;
  method: string;
  path: string;
  segments: string[];
  tools: EndpointTool[];
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

  constructor(tools: EndpointTool[]) {
    for (const tool of tools) {
      const key = routeKey(tool.method, tool.path);
      let route = this.routes.get(key);
      if (!route) {
        route = {
          key,
          method: tool.method,
          path: tool.path,
          segments: tool.path.split('/').slice(1),
          tools: [],
        };
        this.routes.set(key, route);
      }
      route.tools.push(tool);
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

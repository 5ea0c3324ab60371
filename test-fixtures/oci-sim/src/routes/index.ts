import { clusterRoutes } from './clusters.js';
import { compartmentRoutes } from './compartments.js';
import type { Route } from './context.js';
import { nodePoolRoutes } from './nodepools.js';
import { sessionRoutes } from './sessions.js';
import { workRequestRoutes } from './workrequests.js';

export type { Ctx, Route } from './context.js';

const ROUTES: Route[] = [
  ...clusterRoutes,
  ...nodePoolRoutes,
  ...workRequestRoutes,
  ...compartmentRoutes,
  ...sessionRoutes,
];

/** The route serving `method path` and its decoded path parameters, or undefined (answered 404). */
export function resolve(method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.path.exec(path);
    if (!m) continue;
    try {
      return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

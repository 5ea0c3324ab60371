import type { RouteHandlers } from '../context.js';

/** The organization's activity, newest first: seeded history plus every mutation made through the simulator. */
export const auditRoutes: RouteHandlers = {
  'GET /core/api/v1.1/user/activity/sp/get-auditlog': (c) => {
    const org = c.org();
    return c.state.audit.filter((e) => e.organization_id === org.id).reverse();
  },
};

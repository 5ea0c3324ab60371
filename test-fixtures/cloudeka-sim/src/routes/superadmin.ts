import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import type { Organization, Project } from '../state.js';
import { userView } from './account.js';
import { balanceView, invoicesOf } from './billing.js';
import { orgView } from './organization.js';
import { projectView } from './projects.js';

function org(c: Ctx): Organization {
  const id = c.str('organization_id');
  const o = c.state.organizations.get(id);
  if (!o) throw notFound('organization', id);
  return o;
}

function orgProject(c: Ctx): Project {
  const o = org(c);
  const id = c.str('project_id');
  const p = c.state.projects.get(id);
  if (!p || p.organization_id !== o.id) throw notFound('project', id);
  return p;
}

/** Platform operator views across organizations; the auth layer admits only SuperAdmin here. */
export const superadminRoutes: RouteHandlers = {
  'GET /core/superadmin/list/manageorgproject': (c) =>
    [...c.state.projects.values()].map((p) => projectView(c.state, p)),
  'GET /core/superadmin/manageorg/:organization_id': (c) => {
    const o = org(c);
    return {
      ...orgView(c.state, o),
      members: [...c.state.users.values()]
        .filter((u) => u.organization_id === o.id)
        .map((u) => userView(c.state, u)),
      projects: [...c.state.projects.values()]
        .filter((p) => p.organization_id === o.id)
        .map((p) => projectView(c.state, p)),
    };
  },
  'GET /core/superadmin/balance/accumulated/:organization_id/:project_id': (c) =>
    balanceView(c.state, orgProject(c)),
  'GET /core/superadmin/balance/history/invoice/:organization_id': (c) => {
    const o = org(c);
    return invoicesOf(c.state, 'sme', (i) => i.organization_id === o.id);
  },
  'GET /core/superadmin/invoice/:organization_id/:project_id': (c) => {
    const p = orgProject(c);
    return invoicesOf(c.state, 'enterprise', (i) => i.project_id === p.id);
  },
  'POST /core/superadmin/manageuser/resend-verified/:user_id': (c) => {
    const id = c.str('user_id');
    const u = c.state.users.get(id);
    if (!u) throw notFound('user', id);
    if (u.status !== 'pending') throw badRequest(`user ${id} is already verified`);
    u.invitation_sent_at = c.state.now();
    return { user_id: u.id, email: u.email, invitation_sent_at: u.invitation_sent_at };
  },
};

import type { RouteHandlers } from '../context.js';
import { accountRoutes } from './account.js';
import { artifactRoutes } from './artifacts.js';
import { auditRoutes } from './audit.js';
import { billingRoutes } from './billing.js';
import { kubernetesRoutes } from './kubernetes.js';
import { notebookRoutes } from './notebooks.js';
import { organizationRoutes } from './organization.js';
import { projectRoutes } from './projects.js';
import { registryRoutes } from './registry.js';
import { superadminRoutes } from './superadmin.js';
import { tokenRoutes } from './tokens.js';
import { vmRoutes } from './vm.js';
import { voucherRoutes } from './vouchers.js';

/**
 * Every bearer-protected route's handler, keyed `METHOD /template`. The token exchange and the login are
 * answered by the auth layer before these.
 */
export const HANDLERS: RouteHandlers = {
  ...accountRoutes,
  ...projectRoutes,
  ...billingRoutes,
  ...organizationRoutes,
  ...superadminRoutes,
  ...tokenRoutes,
  ...voucherRoutes,
  ...auditRoutes,
  ...vmRoutes,
  ...registryRoutes,
  ...artifactRoutes,
  ...notebookRoutes,
  ...kubernetesRoutes,
};

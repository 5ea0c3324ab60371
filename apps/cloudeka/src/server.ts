import type { AnyTool, ServerSpec } from '@cloudmcp/toolkit';
import type { CloudekaDeps } from './deps.js';
import { mapCloudekaError } from './failures.js';
import { auditTools } from './tools/audit.js';
import { billingTools } from './tools/billing.js';
import { kubernetesTools } from './tools/kubernetes.js';
import { notebookTools } from './tools/notebook.js';
import { organizationTools } from './tools/organization.js';
import { profileTools } from './tools/profile.js';
import { projectTools } from './tools/project.js';
import { registryTools } from './tools/registry.js';
import { sessionTools } from './tools/session.js';
import { superadminTools } from './tools/superadmin.js';
import { tokenTools } from './tools/token.js';
import { vmTools } from './tools/vm.js';
import { voucherTools } from './tools/voucher.js';
import { DEFAULT_TOOLSETS, HTTP_TOOLSETS, TOOLSET_DESCRIPTIONS } from './toolsets.js';
import { VERSION } from './version.js';

/** Every tool of the Cloudeka server, in the order `tools/list` shows them. */
export const cloudekaTools: AnyTool<CloudekaDeps>[] = [
  ...sessionTools,
  ...profileTools,
  ...projectTools,
  ...organizationTools,
  ...billingTools,
  ...kubernetesTools,
  ...vmTools,
  ...registryTools,
  ...notebookTools,
  ...voucherTools,
  ...tokenTools,
  ...auditTools,
  ...superadminTools,
];

export const cloudekaServer: ServerSpec<CloudekaDeps> = {
  name: 'cloudeka-mcp',
  version: VERSION,
  instructions:
    'Tools for Cloudeka (ai.cloudeka.id). Start with project_list; project_id defaults to ' +
    'CLDKCTL_DEFAULT_PROJECT_ID when set. status shows who you are and whether calls go to production or ' +
    'staging. Kubernetes objects of a project: kubernetes_list/get/create/update/delete with a kind or ' +
    'resource; VMs: vm_*; registries: registry_*; notebooks: notebook_*; costs: balance_get, billing_cost_get.',
  tools: cloudekaTools,
  defaultToolsets: DEFAULT_TOOLSETS,
  httpToolsets: HTTP_TOOLSETS,
  // platform operators' views: only the operator turns them on, never a model's toolset_enable
  operatorToolsets: ['superadmin'],
  toolsets: TOOLSET_DESCRIPTIONS,
  mapError: mapCloudekaError,
};

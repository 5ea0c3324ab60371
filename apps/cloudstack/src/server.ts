import type { AnyTool, ServerSpec } from '@cloudmcp/toolkit';
import type { CloudStackDeps } from './deps.js';
import { mapCloudStackError } from './failures.js';
import { apiTools } from './tools/api.js';
import { catalogTools } from './tools/catalog.js';
import { jobTools } from './tools/jobs.js';
import { networkTools } from './tools/network.js';
import { sshTools } from './tools/ssh.js';
import { storageTools } from './tools/storage.js';
import { vmTools } from './tools/vm.js';
import { VERSION } from './version.js';

/** Every tool of the CloudStack server, in the order `tools/list` shows them. */
export const cloudstackTools: AnyTool<CloudStackDeps>[] = [
  ...catalogTools,
  ...vmTools,
  ...storageTools,
  ...networkTools,
  ...sshTools,
  ...jobTools,
  ...apiTools,
];

export const cloudstackServer: ServerSpec<CloudStackDeps> = {
  name: 'cloudstack-mcp',
  version: VERSION,
  instructions:
    'Tools for one Apache CloudStack cloud. Find ids with zone_list, template_list, service_offering_list ' +
    'and network_list (names work too), deploy with vm_deploy, follow jobs with job_status. ' +
    'api_list and api_query/api_call reach any API command the account may use.',
  tools: cloudstackTools,
  mapError: mapCloudStackError,
};

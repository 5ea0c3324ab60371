import type { AnyTool } from '@cloudmcp/toolkit';
import type { OcmDeps } from '../../deps.js';
import { addonList } from './addons.js';
import { clustersetList } from './clustersets.js';
import { manifestworkApply } from './manifestwork-apply.js';
import { manifestworkDelete } from './manifestwork-delete.js';
import { manifestworkGet, manifestworkList } from './manifestworks.js';
import { placementGet, placementList } from './placements.js';

/** The fleet tools (toolset `fleet`): OCM's own objects on the hub, beyond the seed's four tools. */
export const FLEET_TOOLS: AnyTool<OcmDeps>[] = [
  manifestworkList,
  manifestworkGet,
  manifestworkApply,
  manifestworkDelete,
  placementList,
  placementGet,
  clustersetList,
  addonList,
] as unknown as AnyTool<OcmDeps>[];

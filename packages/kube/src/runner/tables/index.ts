import type { CliTool } from '../errors.js';
import { ARGOCD } from './argocd.js';
import { HELM } from './helm.js';
import { ISTIOCTL } from './istioctl.js';
import { KUBECTL } from './kubectl.js';
import type { ToolPolicy } from './types.js';

export type { Refusal, ToolPolicy, VerbRule } from './types.js';

/** The policy of each tool. */
export const POLICIES: Readonly<Record<CliTool, ToolPolicy>> = {
  kubectl: KUBECTL,
  helm: HELM,
  istioctl: ISTIOCTL,
  argocd: ARGOCD,
};

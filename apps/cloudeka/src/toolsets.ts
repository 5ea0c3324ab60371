import type { ToolsetDescriptions } from '@cloudmcp/toolkit';

/**
 * What a session starts with: who you are and which environment (profile), projects, their Kubernetes
 * clusters and VMs — the questions Cloudeka users ask first. Over stdio the model turns the others on with
 * `toolset_enable`; superadmin stays for platform operators.
 */
export const DEFAULT_TOOLSETS = ['profile', 'project', 'kubernetes', 'vm'] as const;

/** One line per toolset, for `toolset_list`: what it holds, so a model knows which one to turn on. */
export const TOOLSET_DESCRIPTIONS: ToolsetDescriptions = {
  profile: 'Session and account: status, environment switch, token check, your profile and password',
  project: 'Projects: list, details, description, GPU quota, deletion',
  organization: 'Organization details, members (add, role, suspend, remove) and roles with privileges',
  billing: 'Money: project balance, costs per day or month, payments, invoices',
  kubernetes:
    'Each project’s Kubernetes cluster: any object by kind or resource, kubeconfig, dashboard, pod console',
  vm: 'Virtual machines: list, create (form or manifest), power, delete; images, flavors, GPUs, storage classes',
  registry:
    'Deka Registry: registries, repositories, artifacts and scans, tags, labels, members, immutable-tag rules',
  notebook: 'Deka Notebooks (Jupyter): list, create, update, start, stop, delete; images',
  voucher: 'Vouchers: claimed ones, claim a code',
  token: 'cldkctl tokens: list, rename, regenerate, revoke',
  audit: 'Audit log: who did what in the organization',
  superadmin:
    'Platform operators only: every organization’s projects, balances, invoices; resend invitations',
};

/**
 * Over HTTP nothing can be turned on later (one process serves every caller), so a deployment without
 * `--toolsets` serves every toolset but the platform operators' one.
 */
export const HTTP_TOOLSETS = Object.keys(TOOLSET_DESCRIPTIONS).filter((toolset) => toolset !== 'superadmin');

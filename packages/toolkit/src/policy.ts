import type { AnyTool } from './tool.js';

/** Which tools a server exposes and how destructive calls are guarded; identical in every server. */
export interface Policy {
  /** Only tools with `readOnlyHint`. */
  readOnly: boolean;
  /** Drop tools with `destructiveHint`. */
  disableDestructive: boolean;
  /** Only tools of these toolsets; undefined = the server's default toolsets. */
  toolsets?: string[];
  /** Tools added on top of the toolsets (still subject to read-only and disable-destructive). */
  enableTools?: string[];
  /** Tools removed whatever else says. */
  disableTools?: string[];
  /** `destructive`: ask before destructive calls; `never`: do not ask. */
  confirm: 'destructive' | 'never';
  /**
   * Where the user cannot be asked (a client without elicitation, stateless 2025-era HTTP), accept the
   * model's `confirm: true` instead of refusing. Off by default: the model would confirm its own call.
   */
  allowModelConfirm?: boolean;
}

export const DEFAULT_POLICY: Policy = { readOnly: false, disableDestructive: false, confirm: 'destructive' };

export interface ToolSelection<T extends AnyTool> {
  tools: T[];
  /** Names in the policy that match no tool or toolset: reported at start-up instead of ignored. */
  unknown: string[];
}

/**
 * Applies a policy to a server's tools. `defaultToolsets` are those on when `--toolsets` is not given
 * (servers keep dangerous groups, such as Cloudeka's superadmin, off by default).
 */
export function selectTools<T extends AnyTool>(
  all: readonly T[],
  policy: Policy,
  defaultToolsets?: readonly string[],
): ToolSelection<T> {
  const names = new Set(all.map((t) => t.name));
  const toolsets = new Set(all.map((t) => t.toolset));
  const wantedSets = policy.toolsets ?? defaultToolsets ?? [...toolsets];
  const enabled = new Set(policy.enableTools ?? []);
  const disabled = new Set(policy.disableTools ?? []);
  const unknown = [
    ...(policy.toolsets ?? []).filter((s) => s !== 'all' && !toolsets.has(s)).map((s) => `toolset ${s}`),
    ...[...enabled, ...disabled].filter((n) => !names.has(n)).map((n) => `tool ${n}`),
  ];
  const allSets = wantedSets.includes('all');
  const tools = all.filter((tool) => {
    if (disabled.has(tool.name)) return false;
    if (policy.readOnly && !tool.annotations.readOnlyHint) return false;
    if (policy.disableDestructive && tool.annotations.destructiveHint) return false;
    return allSets || wantedSets.includes(tool.toolset) || enabled.has(tool.name);
  });
  return { tools, unknown };
}

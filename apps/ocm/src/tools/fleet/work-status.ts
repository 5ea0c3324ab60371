/**
 * What a ManifestWork's status says, read the way the work agent writes it (see the OCM notes): per manifest
 * `Applied` (AppliedManifestComplete, or False with the apply error) and `Available` (ResourceAvailable /
 * ResourceNotAvailable), keyed by `resourceMeta.ordinal`; rolled up into the work's `Applied` and `Available`
 * conditions, whose `observedGeneration` says which spec they describe.
 */
import { renderTable } from '@cloudmcp/format';
import type { KubeObject } from '@cloudmcp/kube';
import * as z from 'zod';
import { type Condition, conditionsOf, findCondition } from './common.js';

export interface ResourceMeta {
  ordinal?: number;
  group?: string;
  version?: string;
  kind?: string;
  resource?: string;
  name?: string;
  namespace?: string;
}

export interface ManifestWork extends KubeObject {
  spec?: {
    workload?: { manifests?: KubeObject[] };
    deleteOption?: { propagationPolicy?: string };
  };
  status?: {
    conditions?: Condition[];
    resourceStatus?: {
      manifests?: Array<{
        resourceMeta?: ResourceMeta;
        conditions?: Condition[];
        statusFeedback?: {
          values?: Array<{
            name: string;
            fieldValue?: {
              type?: string;
              integer?: number;
              string?: string;
              boolean?: boolean;
              jsonRaw?: string;
            };
          }>;
        };
      }>;
    };
  };
}

export const manifestRow = z.object({
  ordinal: z.number().int(),
  kind: z.string(),
  api_version: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  applied: z.string().describe('True, False, Unknown; empty until the work agent reports'),
  available: z.string(),
  message: z.string().optional().describe("Why it is not applied or not available, in the agent's words"),
  feedback: z.record(z.string(), z.unknown()).optional().describe('Status feedback values the agent reports'),
});
export type ManifestRow = z.input<typeof manifestRow>;

export type WorkState = 'available' | 'applied' | 'failed' | 'pending';

/** The propagation policy deleting the work (or dropping a manifest from it) uses; Foreground by default. */
export function deleteOption(work: ManifestWork): string {
  return work.spec?.deleteOption?.propagationPolicy ?? 'Foreground';
}

export function manifestsOf(work: ManifestWork): KubeObject[] {
  return work.spec?.workload?.manifests ?? [];
}

function feedbackOf(
  values: NonNullable<NonNullable<ManifestWork['status']>['resourceStatus']>['manifests'],
): Record<string, unknown> | undefined {
  const entries = (values?.[0]?.statusFeedback?.values ?? []).map((v) => {
    const f = v.fieldValue ?? {};
    return [v.name, f.integer ?? f.string ?? f.boolean ?? f.jsonRaw] as const;
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** One row per manifest of the spec, with what the agent reported for it (matched by ordinal). */
export function manifestRows(work: ManifestWork): ManifestRow[] {
  const reported = work.status?.resourceStatus?.manifests ?? [];
  return manifestsOf(work).map((manifest, ordinal) => {
    const status = reported.filter((r) =>
      r.resourceMeta?.ordinal !== undefined
        ? r.resourceMeta.ordinal === ordinal
        : r.resourceMeta?.kind === manifest.kind && r.resourceMeta?.name === manifest.metadata?.name,
    );
    const conditions = status[0]?.conditions;
    const applied = findCondition(conditions, 'Applied');
    const available = findCondition(conditions, 'Available');
    const failing = [applied, available].find((c) => c && c.status !== 'True' && c.message);
    const feedback = feedbackOf(status);
    const namespace = manifest.metadata?.namespace ?? status[0]?.resourceMeta?.namespace;
    return {
      ordinal,
      kind: String(manifest.kind ?? ''),
      api_version: String(manifest.apiVersion ?? ''),
      ...(namespace ? { namespace } : {}),
      name: String(manifest.metadata?.name ?? ''),
      applied: applied?.status ?? '',
      available: available?.status ?? '',
      ...(failing?.message ? { message: failing.message } : {}),
      ...(feedback ? { feedback } : {}),
    };
  });
}

/**
 * Where the work stands for its current spec: conditions of an older generation do not count. `failed`
 * when the agent could not apply a manifest.
 */
export function workState(work: ManifestWork): WorkState {
  const generation = work.metadata?.generation;
  const current = (c: Condition | undefined) =>
    c !== undefined &&
    (generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= generation);
  const conditions = conditionsOf(work);
  const applied = findCondition(conditions, 'Applied');
  const available = findCondition(conditions, 'Available');
  if (current(applied) && applied!.status === 'False') return 'failed';
  if (current(applied) && applied!.status === 'True') {
    return current(available) && available!.status === 'True' ? 'available' : 'applied';
  }
  return 'pending';
}

/** Why a work is not (yet) fine, in one line: the first failing manifest's message, else the condition's. */
export function workReason(work: ManifestWork): string | undefined {
  const state = workState(work);
  if (state === 'available') return undefined;
  const failing = manifestRows(work).find(
    (r) => r.message && (r.applied === 'False' || r.available !== 'True'),
  );
  if (failing) return `${manifestName(failing)}: ${failing.message}`;
  const conditions = conditionsOf(work);
  const condition = [findCondition(conditions, 'Applied'), findCondition(conditions, 'Available')].find(
    (c) => c && c.status !== 'True',
  );
  if (condition) return [condition.reason, condition.message].filter(Boolean).join(': ') || undefined;
  return state === 'pending' ? 'not reported by the work agent yet' : undefined;
}

export function manifestName(row: Pick<ManifestRow, 'kind' | 'namespace' | 'name'>): string {
  return `${row.kind} ${row.namespace ? `${row.namespace}/` : ''}${row.name}`;
}

/** Progress in words: `2/3 applied, 1/3 available`. */
export function progressText(work: ManifestWork): string {
  const rows = manifestRows(work);
  const count = (field: 'applied' | 'available') => rows.filter((r) => r[field] === 'True').length;
  return `${count('applied')}/${rows.length} applied, ${count('available')}/${rows.length} available`;
}

/** The work-level Applied and Available as one line. */
export function conditionsLine(work: ManifestWork): string {
  const conditions = conditionsOf(work);
  const parts = ['Applied', 'Available'].map((type) => {
    const c = findCondition(conditions, type);
    if (!c) return `${type}: not reported`;
    return `${type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`;
  });
  return parts.join(' · ');
}

/** The manifest table of get and apply. */
export function manifestTable(rows: ManifestRow[]): string {
  const feedback = rows.some((r) => r.feedback);
  return renderTable(rows, [
    { header: '#', value: (r) => r.ordinal },
    { header: 'kind', value: (r) => r.kind },
    { header: 'namespace', value: (r) => r.namespace ?? '' },
    { header: 'name', value: (r) => r.name },
    { header: 'applied', value: (r) => r.applied || '-' },
    { header: 'available', value: (r) => r.available || '-' },
    ...(feedback
      ? [
          {
            header: 'feedback',
            value: (r: ManifestRow) =>
              Object.entries(r.feedback ?? {})
                .map(([k, v]) => `${k}=${v}`)
                .join(' '),
          },
        ]
      : []),
    { header: 'message', value: (r) => r.message ?? '', maxWidth: 120 },
  ]);
}

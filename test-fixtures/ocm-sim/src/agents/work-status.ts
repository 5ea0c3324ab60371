/**
 * The ManifestWork status the work agent writes (ocm work/spoke manifestcontroller, conditions/helpers.go,
 * objectreader, statuscontroller): per manifest Applied / Available / StatusFeedbackSynced, rolled up into the
 * work's Applied and Available with observedGeneration.
 */
import type { K8sObject } from '../api-client.js';
import { type Condition, setConditions } from '../ocm.js';

export interface ManifestOutcome {
  resourceMeta: K8sObject;
  /** The apply error, when applying failed. */
  error?: string;
  /** Whether the object exists on the managed cluster (undefined when that could not be read). */
  exists: boolean | undefined;
  feedback?: K8sObject[];
}

export function appliedCondition(error: string | undefined): Condition {
  return error === undefined
    ? {
        type: 'Applied',
        status: 'True',
        reason: 'AppliedManifestComplete',
        message: 'Apply manifest complete',
      }
    : { type: 'Applied', status: 'False', reason: 'AppliedManifestFailed', message: error };
}

export function availableCondition(exists: boolean | undefined): Condition {
  if (exists === undefined) {
    return {
      type: 'Available',
      status: 'Unknown',
      reason: 'ResourceStatusUnknown',
      message: 'Resource status is unknown',
    };
  }
  return exists
    ? { type: 'Available', status: 'True', reason: 'ResourceAvailable', message: 'Resource is available' }
    : {
        type: 'Available',
        status: 'False',
        reason: 'ResourceNotAvailable',
        message: 'Resource is not available',
      };
}

function feedbackCondition(feedback: K8sObject[] | undefined): Condition {
  return feedback === undefined
    ? { type: 'StatusFeedbackSynced', status: 'True', reason: 'NoStatusFeedbackSynced', message: '' }
    : { type: 'StatusFeedbackSynced', status: 'True', reason: 'StatusFeedbackSynced', message: '' };
}

/** The work-level Available: all available, else how many are not, else how many are unknown. */
function workAvailable(outcomes: ManifestOutcome[], generation: number): Condition {
  const total = outcomes.length;
  const unavailable = outcomes.filter((o) => o.exists === false).length;
  const unknown = outcomes.filter((o) => o.exists === undefined).length;
  if (unavailable > 0) {
    return {
      type: 'Available',
      status: 'False',
      reason: 'ResourcesNotAvailable',
      message: `${unavailable} of ${total} resources are not available`,
      observedGeneration: generation,
    };
  }
  if (unknown > 0) {
    return {
      type: 'Available',
      status: 'Unknown',
      reason: 'ResourcesStatusUnknown',
      message: `${unknown} of ${total} resources have unknown status`,
      observedGeneration: generation,
    };
  }
  return {
    type: 'Available',
    status: 'True',
    reason: 'ResourcesAvailable',
    message: 'All resources are available',
    observedGeneration: generation,
  };
}

function workApplied(outcomes: ManifestOutcome[], generation: number): Condition {
  return outcomes.every((o) => o.error === undefined)
    ? {
        type: 'Applied',
        status: 'True',
        reason: 'AppliedManifestWorkComplete',
        message: 'Apply manifest work complete',
        observedGeneration: generation,
      }
    : {
        type: 'Applied',
        status: 'False',
        reason: 'AppliedManifestWorkFailed',
        message: 'Failed to apply manifest work',
        observedGeneration: generation,
      };
}

const sameMeta = (a: K8sObject, b: K8sObject) =>
  ['ordinal', 'group', 'version', 'kind', 'resource', 'name', 'namespace'].every((k) => a[k] === b[k]);

/** The status to write, keeping lastTransitionTime of conditions whose status did not change. */
export function workStatus(work: K8sObject, outcomes: ManifestOutcome[]): K8sObject {
  const generation = Number(work.metadata.generation ?? 1);
  const previous = (work.status?.resourceStatus?.manifests ?? []) as K8sObject[];
  const manifests = outcomes.map((o) => {
    const before = previous.find((p) => sameMeta(p.resourceMeta ?? {}, o.resourceMeta));
    return {
      resourceMeta: o.resourceMeta,
      statusFeedback: o.feedback ? { values: o.feedback } : {},
      conditions: setConditions(before?.conditions, [
        appliedCondition(o.error),
        availableCondition(o.exists),
        feedbackCondition(o.feedback),
      ]),
    };
  });
  return {
    ...work.status,
    resourceStatus: { manifests },
    conditions: setConditions(work.status?.conditions, [
      workApplied(outcomes, generation),
      workAvailable(outcomes, generation),
    ]),
  };
}

/** statusFeedback values for a manifest's feedbackRules (WellKnownStatus and simple `.status.x` JSONPaths). */
export function statusFeedback(rules: K8sObject[], live: K8sObject | undefined): K8sObject[] | undefined {
  if (rules.length === 0 || !live) return undefined;
  const values: K8sObject[] = [];
  const add = (name: string, value: unknown) => {
    if (typeof value === 'number' && Number.isInteger(value)) {
      values.push({ name, fieldValue: { type: 'Integer', integer: value } });
    } else if (typeof value === 'string')
      values.push({ name, fieldValue: { type: 'String', string: value } });
    else if (typeof value === 'boolean')
      values.push({ name, fieldValue: { type: 'Boolean', boolean: value } });
    else if (value !== undefined)
      values.push({ name, fieldValue: { type: 'JsonRaw', jsonRaw: JSON.stringify(value) } });
  };
  for (const rule of rules) {
    if (rule.type === 'WellKnownStatus' && live.kind === 'Deployment') {
      add('ReadyReplicas', live.status?.readyReplicas ?? 0);
      add('Replicas', live.status?.replicas ?? 0);
      add('AvailableReplicas', live.status?.availableReplicas ?? 0);
    } else if (rule.type === 'JSONPaths') {
      for (const p of (rule.jsonPaths ?? []) as K8sObject[])
        add(p.name, readPath(live, String(p.path ?? '')));
    }
  }
  return values;
}

function readPath(obj: K8sObject, path: string): unknown {
  // feedback paths are relative to .status (e.g. ".readyReplicas"), as the agent's JSONPaths are
  let cur: unknown = obj.status;
  for (const key of path.split('.').filter(Boolean)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as K8sObject)[key];
  }
  return cur;
}

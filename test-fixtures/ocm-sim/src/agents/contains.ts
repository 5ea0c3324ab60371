/**
 * Whether a live object already carries everything a manifest asks for (fields the API server defaulted or
 * other writers added may be extra), so the agent writes only when something would change.
 */
import type { K8sObject } from '../api-client.js';

function within(live: unknown, wanted: unknown): boolean {
  if (wanted === null || typeof wanted !== 'object') return live === wanted;
  if (Array.isArray(wanted)) {
    return Array.isArray(live) && live.length === wanted.length && wanted.every((w, i) => within(live[i], w));
  }
  if (live === null || typeof live !== 'object' || Array.isArray(live)) return false;
  return Object.entries(wanted).every(([k, v]) => within((live as K8sObject)[k], v));
}

export function contains(live: K8sObject, manifest: K8sObject): boolean {
  const { metadata, status: _status, ...rest } = manifest;
  return (
    within(live.metadata?.labels ?? {}, metadata?.labels ?? {}) &&
    within(live.metadata?.annotations ?? {}, metadata?.annotations ?? {}) &&
    within(live, rest)
  );
}

import { type LabelSelectorObject, matchesLabels, objectRequirements } from '@cloudmcp/kube';

/** Kubernetes LabelSelector objects (as OCM's sets and placements carry them): as text, and evaluated. */

export type LabelSelector = LabelSelectorObject;

/** `purpose=test, env in (a,b), !legacy, gpu`, or `everything` for an empty selector. */
export function selectorText(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(selector.matchExpressions ?? []).map((e) => {
      const values = (e.values ?? []).join(',');
      switch (e.operator) {
        case 'In':
          return `${e.key} in (${values})`;
        case 'NotIn':
          return `${e.key} notin (${values})`;
        case 'Exists':
          return e.key;
        case 'DoesNotExist':
          return `!${e.key}`;
        default:
          return `${e.key} ${e.operator} (${values})`;
      }
    }),
  ];
  return parts.join(', ') || 'everything';
}

/** Whether `labels` satisfy `selector` (an empty selector matches everything; an unknown operator nothing). */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  const requirements = objectRequirements(selector);
  return requirements !== undefined && matchesLabels(requirements, labels);
}

import type { KubeconfigDocument } from '../targets.js';

/**
 * The text other parsers (kubectl's go-yaml, client-node's js-yaml, `yaml`) get for a kubeconfig: JSON,
 * never YAML. JSON has one reading in all of them, so what they load is exactly the document given.
 * `currentContext` replaces the document's current context.
 */
export function kubeconfigText(doc: KubeconfigDocument, currentContext?: string): string {
  const { apiVersion, kind, ...rest } = doc;
  return JSON.stringify({
    apiVersion: apiVersion ?? 'v1',
    kind: kind ?? 'Config',
    ...rest,
    ...(currentContext === undefined ? {} : { 'current-context': currentContext }),
  });
}

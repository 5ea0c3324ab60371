import type { KubeconfigDocument } from '../targets.js';
import { UntrustedKubeconfigError } from './errors.js';
import { rebuildKubeconfig } from './rebuild.js';
import { parseStrictYaml } from './strict-yaml.js';

/** The most a kubeconfig from outside may weigh, decoded (inline certificates make them a few KiB). */
export const MAX_UNTRUSTED_KUBECONFIG = 256 * 1024;

/** Standard or URL-safe base64, whitespace removed. A YAML or JSON mapping always holds `:` or `{`. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const TOO_LARGE = `it is larger than ${MAX_UNTRUSTED_KUBECONFIG / 1024} KiB`;

/**
 * Reads a kubeconfig sent from outside (an `X-Kubeconfig` header, a tool argument): base64 (standard or
 * URL-safe) of one, or its YAML or JSON text. It is parsed strictly (`parseStrictYaml`: one document, no
 * anchors, aliases, merge keys, tags or duplicate keys) and rebuilt from the allowlist
 * (`rebuildKubeconfig`). Errors are `UntrustedKubeconfigError`s that describe the problem, never the content.
 */
export function parseUntrustedKubeconfig(value: string): KubeconfigDocument {
  const trimmed = value.trim();
  if (trimmed === '') throw new UntrustedKubeconfigError('it is empty');
  // base64 is 4/3 of its content, plus line breaks: anything longer than twice the cap is too large
  if (trimmed.length > MAX_UNTRUSTED_KUBECONFIG * 2) throw new UntrustedKubeconfigError(TOO_LARGE);
  const compact = trimmed.replace(/\s+/g, '');
  const text = BASE64.test(compact) ? decodeBase64(compact) : trimmed;
  if (Buffer.byteLength(text, 'utf8') > MAX_UNTRUSTED_KUBECONFIG)
    throw new UntrustedKubeconfigError(TOO_LARGE);
  return rebuildKubeconfig(parseStrictYaml(text));
}

function decodeBase64(compact: string): string {
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1)
    throw new UntrustedKubeconfigError('it is neither base64 of a kubeconfig nor YAML');
  const bytes = Buffer.from(unpadded.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UntrustedKubeconfigError('it is base64 of something that is not UTF-8 text');
  }
}

import { badInput, DEFAULT_YAML_INPUT_LIMITS, parseYamlInput } from '@cloudmcp/toolkit';
import * as z from 'zod';

/** A Kubernetes-style manifest: an object, or YAML (or JSON) text of exactly one document. */
export const manifestInput = z
  .union([z.record(z.string(), z.unknown()), z.string().min(1).max(1_000_000)])
  .describe('Object or YAML text (one document)');

export type Manifest = Record<string, unknown>;

/** Parses a manifest input; errors name `field` and say what is wrong (line and column for YAML). */
export function parseManifest(value: unknown, field = 'manifest'): Manifest {
  if (typeof value !== 'string') {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Manifest;
    throw badInput(field, 'expected an object or YAML text');
  }
  // read with a bounded cost (tokens, documents, aliases): a huge body cannot stall the server
  const docs = parseYamlInput(value, field, { ...DEFAULT_YAML_INPUT_LIMITS, maxDocuments: 1 });
  if (docs.length !== 1) throw badInput(field, 'is empty');
  const parsed = docs[0];
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badInput(field, 'must be a mapping (apiVersion, kind, metadata, spec …), not a list or a scalar');
  }
  return parsed as Manifest;
}

/** `metadata.name` of a manifest, if it has one. */
export function manifestName(manifest: Manifest): string | undefined {
  const metadata = manifest['metadata'];
  if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
    const name = (metadata as Record<string, unknown>)['name'];
    if (typeof name === 'string' && name) return name;
  }
  return undefined;
}

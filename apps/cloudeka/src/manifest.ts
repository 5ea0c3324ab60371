import { badInput } from '@cloudmcp/toolkit';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/** A Kubernetes-style manifest: an object, or YAML (or JSON) text of exactly one document. */
export const manifestInput = z
  .union([z.record(z.string(), z.unknown()), z.string().min(1).max(1_000_000)])
  .describe(
    'The manifest: an object ({"apiVersion": …, "kind": …, "metadata": {…}, "spec": {…}}) or the same as ' +
      'YAML text (one document)',
  );

export type Manifest = Record<string, unknown>;

/** Parses a manifest input; errors name `field` and say what is wrong (line and column for YAML). */
export function parseManifest(value: unknown, field = 'manifest'): Manifest {
  if (typeof value !== 'string') {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Manifest;
    throw badInput(field, 'expected an object or YAML text');
  }
  const docs = parseAllDocuments(value).filter((d) => d.contents !== null);
  if (docs.length !== 1) {
    throw badInput(
      field,
      docs.length ? `holds ${docs.length} YAML documents; pass one per call` : 'is empty',
    );
  }
  const doc = docs[0]!;
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0]
      ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`
      : '';
    throw badInput(field, `is not valid YAML${where}: ${error.message.split('\n')[0]}`);
  }
  const parsed: unknown = doc.toJS();
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

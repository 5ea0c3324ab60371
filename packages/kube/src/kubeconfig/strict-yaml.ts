/**
 * Strict YAML for documents from outside. Programs that read kubeconfigs disagree on YAML (kubectl's go-yaml
 * speaks YAML 1.1 with merge keys; js-yaml and `yaml` speak 1.2), so anything whose meaning could differ
 * between them is refused rather than interpreted: anchors, aliases, merge keys, explicit tags, directives,
 * non-string and duplicate keys, several documents. What remains is plain data with one reading.
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';
import { UntrustedKubeconfigError } from './errors.js';
import { childPath, itemPath } from './paths.js';

/** Parses one YAML 1.2 (core schema) or JSON document into plain data, refusing every ambiguous construct. */
export function parseStrictYaml(text: string): unknown {
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, {
      version: '1.2',
      schema: 'core',
      merge: false,
      uniqueKeys: false, // reported below with the path
      strict: true,
      prettyErrors: false,
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch {
    throw new UntrustedKubeconfigError('it is not valid YAML');
  }
  if (docs.length === 0) throw new UntrustedKubeconfigError('it is empty');
  if (docs.length > 1) throw new UntrustedKubeconfigError('it holds several YAML documents; send one');
  const doc = docs[0]!;
  const error = doc.errors[0];
  if (error) {
    const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [];
    throw new UntrustedKubeconfigError(
      `it is not valid YAML${line === undefined ? '' : ` (at line ${line}, column ${col})`}`,
    );
  }
  if (doc.directives?.yaml.explicit || hasCustomTagHandles(doc)) {
    throw new UntrustedKubeconfigError('YAML directives (%YAML, %TAG) are not accepted here');
  }
  checkNode(doc.contents, '');
  return doc.toJS({ maxAliasCount: 0 });
}

function hasCustomTagHandles(doc: Document.Parsed): boolean {
  return Object.keys(doc.directives?.tags ?? {}).some((handle) => handle !== '!' && handle !== '!!');
}

function where(path: string): string {
  return path === '' ? 'the document' : path;
}

function checkNode(node: unknown, path: string): void {
  if (node === null || node === undefined) return;
  if (isAlias(node))
    throw new UntrustedKubeconfigError(`${where(path)} is an alias (*); aliases are not accepted here`);
  const n = node as Node;
  if (n.anchor)
    throw new UntrustedKubeconfigError(`${where(path)} has an anchor (&); anchors are not accepted here`);
  if (n.tag)
    throw new UntrustedKubeconfigError(`${where(path)} has an explicit tag (!); tags are not accepted here`);
  if (isScalar(node)) return;
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) checkNode(item, itemPath(path, index));
    return;
  }
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair)) throw new UntrustedKubeconfigError(`${where(path)} is not a plain mapping`);
      const key = pair.key;
      if (isAlias(key)) throw new UntrustedKubeconfigError(`${where(path)} has an alias as a key`);
      if ((key as Node | null)?.anchor || (key as Node | null)?.tag) {
        throw new UntrustedKubeconfigError(
          `${where(path)} has a key with an anchor or tag; not accepted here`,
        );
      }
      if (!isScalar(key) || typeof key.value !== 'string') {
        throw new UntrustedKubeconfigError(`${where(path)} has a key that is not a string`);
      }
      const name = key.value;
      if (name === '<<') {
        throw new UntrustedKubeconfigError(
          `${where(path)} has a merge key (<<); merge keys are not accepted here`,
        );
      }
      const at = childPath(path, name);
      if (seen.has(name)) throw new UntrustedKubeconfigError(`${at} is given twice (duplicate key)`);
      seen.add(name);
      checkNode(pair.value, at);
    }
    return;
  }
  throw new UntrustedKubeconfigError(`${where(path)} is not plain YAML data`);
}

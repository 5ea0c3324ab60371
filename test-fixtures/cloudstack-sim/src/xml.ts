/**
 * ApiResponseSerializer.toXMLSerializedString, walking the document the JSON serialiser writes:
 * `<?xml …?><name cloud-stack-version="…">` then every field in order — a scalar as `<field>text</field>`
 * (`"`, `'`, `<`, `>` and `&` escaped), a nested response object as `<field>…</field>`, and a collection as one
 * element per item under the field's name, so an empty list leaves nothing (the error's `uuidList`, `tags`).
 */

/** ApiDBUtils.getVersion() of the simulated management server. */
export const CLOUDSTACK_VERSION = '4.19.1.0';

/** Fields that are a Java Map, not a response object: XML prints the map's toString(), `{a=b, c=d}`. */
const MAP_FIELDS = new Set(['details']);

/** Collections of Maps (project `owner`, template `downloaddetails`): the XML walk prints nothing for them. */
const MAP_LIST_FIELDS = new Set(['owner', 'downloaddetails']);

function escapeXml(text: string): string {
  return text.replace(
    /["'<>&]/g,
    (c) => ({ '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!,
  );
}

function javaMapString(map: Record<string, unknown>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ')}}`;
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return `<${name}>${escapeXml(String(value))}</${name}>`;
  if (MAP_FIELDS.has(name)) {
    return `<${name}>${escapeXml(javaMapString(value as Record<string, unknown>))}</${name}>`;
  }
  return `<${name}>${fields(value as Record<string, unknown>)}</${name}>`;
}

function fields(object: Record<string, unknown>): string {
  let out = '';
  for (const [name, value] of Object.entries(object)) {
    if (!Array.isArray(value)) out += element(name, value);
    else if (!MAP_LIST_FIELDS.has(name)) for (const item of value) out += element(name, item);
  }
  return out;
}

/** `{"listzonesresponse": {...}}` → `<?xml …?><listzonesresponse cloud-stack-version="…">…</listzonesresponse>` */
export function toXml(document: Record<string, unknown>): string {
  const [name, inner] = Object.entries(document)[0]!;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><${name} cloud-stack-version="${CLOUDSTACK_VERSION}">` +
    `${fields((inner ?? {}) as Record<string, unknown>)}</${name}>`
  );
}

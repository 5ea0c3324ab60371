/** How messages name a place in a document without repeating its content. */

/** A key as a message may show it: a short identifier is named, anything else (it could be a secret) is not. */
export function keyName(key: string): string {
  return /^[A-Za-z_<][A-Za-z0-9_<-]{0,39}$/.test(key) ? key : '(a key)';
}

/** `parent.key`, or just `key` at the top. */
export function childPath(parent: string, key: string): string {
  return parent === '' ? keyName(key) : `${parent}.${keyName(key)}`;
}

/** `parent[index]`. */
export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

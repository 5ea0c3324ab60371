import { badInput } from '@cloudmcp/toolkit';

/**
 * An OCID: `ocid1.<resource type>.<realm>.[region][.future use].<unique id>`. OCIDs go into URL paths,
 * query strings and the cluster token's signed request target, so anything else is refused before a
 * request is made.
 */
const OCID = /^ocid1\.[a-z][a-z0-9]*\.[a-z0-9-]+\.[a-z0-9-]*(?:\.[a-z0-9-]*)*\.[A-Za-z0-9_-]+$/;
const MAX_OCID_LENGTH = 255;

export function isOcid(value: string): boolean {
  return value.length <= MAX_OCID_LENGTH && OCID.test(value);
}

/** Throws bad input naming `field` unless `value` is an OCID. */
export function assertOcid(value: string, field: string): void {
  if (!isOcid(value)) {
    throw badInput(field, 'expected an OCID (`ocid1.<type>.<realm>.[region].<unique id>`)');
  }
}

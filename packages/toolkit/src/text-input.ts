import * as z from 'zod';

// `minLength: 1` on every id, name and filter, or a size cap meant for hostile input, would cost each field
// tokens in every tools/list and tell a model nothing it would get wrong: such checks are zod's alone
// (refinements, which the JSON Schema leaves out). Bounds a model should know (a replica count, a page size)
// stay visible as ordinary zod bounds.

/** A string of at most `max` characters, checked but not advertised. */
export const cappedText = (max: number) =>
  z.string().refine((text) => text.length <= max, `must be at most ${max} characters`);

/** A string that may not be empty (and, with `max`, of at most `max` characters), checked but not advertised. */
export function nonEmptyText(max?: number) {
  return (max === undefined ? z.string() : cappedText(max)).refine(
    (text) => text !== '',
    'must not be empty',
  );
}

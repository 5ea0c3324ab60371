import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { portabilityIssues, portableInputSchema } from '../src/index.js';
import { portableSchema } from '../src/portable-schema.js';
import { strictInput } from '../src/strict-input.js';

// The input schemas tools/list advertises are portable: what the checker below calls so holds for every
// kind of field the servers use.

const everyKind = strictInput(
  z.object({
    name: z.string().min(1).describe('A name'),
    note: z.string().nullable().optional().describe('Optional and nullable'),
    size: z.number().int().positive().describe('Positive integer'),
    since: z.number().int().min(1).describe('Safe-integer bounded'),
    email: z.email().optional().describe('An email'),
    when: z.iso.datetime().optional().describe('A time'),
    mode: z.enum(['a', 'b']).default('a').describe('An enum'),
    labels: z.record(z.string(), z.string()).optional().describe('A record'),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Scalars'),
    manifest: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).describe('Text or object'),
    ports: z
      .array(z.object({ port: z.number().int() }))
      .optional()
      .describe('Nested objects'),
    extra: z.looseObject({ kind: z.string().optional() }).optional().describe('A loose object'),
    flag: z.boolean().default(false).describe('A flag'),
  }),
);

describe('portable input schemas', () => {
  const schema = portableInputSchema(everyKind) as Record<string, unknown>;
  const properties = schema['properties'] as Record<string, Record<string, unknown>>;

  it('raise no portability issue', () => {
    expect(portabilityIssues(schema)).toEqual([]);
    // the checker does find what zod writes as it is
    const { $schema: _, ...raw } = z.toJSONSchema(everyKind, { io: 'input' });
    expect(portabilityIssues(raw)).toEqual(
      expect.arrayContaining([
        '(root).note: type array ["string","null"]',
        '(root).params{}: type array ["string","number","boolean"]',
      ]),
    );
  });

  it('keep one type where no union is needed, and what a model can use', () => {
    expect(schema).not.toHaveProperty('$schema');
    expect(schema['additionalProperties']).toBe(false);
    expect(properties['note']).toEqual({ type: 'string', description: 'Optional and nullable' });
    expect(properties['size']).toEqual({ type: 'integer', minimum: 1, description: 'Positive integer' });
    expect(properties['since']).toEqual({ type: 'integer', minimum: 1, description: 'Safe-integer bounded' });
    expect(properties['email']).toEqual({ type: 'string', format: 'email', description: 'An email' });
    expect(properties['when']).toMatchObject({ type: 'string', format: 'date-time' });
    expect(properties['when']).not.toHaveProperty('pattern');
    expect(properties['mode']).toEqual({
      type: 'string',
      enum: ['a', 'b'],
      default: 'a',
      description: 'An enum',
    });
    expect(properties['labels']).toEqual({
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'A record',
    });
    expect(properties['params']!['additionalProperties']).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
    });
    expect(properties['manifest']).toEqual({
      anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }],
      description: 'Text or object',
    });
    expect((properties['ports']!['items'] as Record<string, unknown>)['additionalProperties']).toBe(false);
    expect(properties['extra']).not.toHaveProperty('additionalProperties');
    expect(properties['flag']).toEqual({ type: 'boolean', default: false, description: 'A flag' });
  });

  it('drop an uncommon format and keep its pattern', () => {
    expect(portableSchema({ type: 'string', format: 'cidrv4', pattern: '^x$' })).toEqual({
      type: 'string',
      pattern: '^x$',
    });
  });

  it('the checker names what is not portable', () => {
    expect(
      portabilityIssues({
        type: 'object',
        additionalProperties: false,
        properties: {
          a: { type: ['string', 'null'] },
          b: { oneOf: [{ type: 'string' }, { type: 'number' }] },
          c: { $ref: '#/$defs/c' },
          d: {},
          e: { type: 'string', format: 'regex' },
          f: { anyOf: [{ type: 'string' }] },
        },
      }),
    ).toEqual([
      '(root).a: type array ["string","null"]',
      '(root).b: oneOf',
      '(root).b: no type',
      '(root).c: $ref',
      '(root).c: no type',
      '(root).d: no type',
      '(root).e: format regex',
      '(root).f: anyOf of 1',
    ]);
    expect(portabilityIssues({ type: 'object', properties: {} })).toEqual([
      '(root): not an object with additionalProperties false',
    ]);
  });
});

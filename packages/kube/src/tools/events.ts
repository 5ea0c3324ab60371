import { ANNOTATIONS, cursorOffset, page, pageOutput } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { type KubeClient, type KubeObject, TYPES } from '../client.js';
import { KubeApiError } from '../errors.js';
import { age, namespaceFilterIn, nonEmpty, pageIn } from './common.js';
import { kubeTool } from './define.js';

export interface KubeEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingController?: string;
}

export const eventRow = z.object({
  namespace: z.string().optional(),
  last_seen: z.string().describe('How long ago it last happened'),
  time: z.string().optional().describe('When it last happened (RFC3339)'),
  type: z.string().describe('Normal or Warning'),
  reason: z.string(),
  object: z.string().describe('Kind/name of the object it is about'),
  field: z.string().optional().describe('Part of the object, e.g. spec.containers{app}'),
  message: z.string(),
  count: z.number().int(),
});
export type EventRow = z.input<typeof eventRow>;

/** When an event last happened (series, lastTimestamp, eventTime, creation, in that order). */
export function eventTime(e: KubeEvent): string | undefined {
  return (
    e.series?.lastObservedTime ??
    e.lastTimestamp ??
    e.eventTime ??
    e.firstTimestamp ??
    e.metadata?.creationTimestamp ??
    undefined
  );
}

/** Event rows, newest first. */
export function eventRows(events: KubeEvent[]): EventRow[] {
  return [...events]
    .map((e) => ({ e, at: eventTime(e) ?? '' }))
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .map(({ e, at }) => ({
      ...(e.metadata?.namespace ? { namespace: e.metadata.namespace } : {}),
      last_seen: at ? age(at) : '<unknown>',
      ...(at ? { time: at } : {}),
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
      ...(e.involvedObject?.fieldPath ? { field: e.involvedObject.fieldPath } : {}),
      message: (e.message ?? '').trim(),
      count: e.series?.count ?? e.count ?? 1,
    }));
}

/**
 * Events of a namespace (or all), optionally about one object. Asks the server to filter by
 * `involvedObject.*` and filters again here (some servers ignore or refuse those field selectors).
 */
export async function listEvents(
  client: KubeClient,
  opts: {
    namespace?: string;
    kind?: string;
    name?: string;
    type?: string;
    signal: AbortSignal;
    max?: number;
  },
): Promise<{ events: KubeEvent[]; truncated: boolean }> {
  const selectors = [
    opts.name ? `involvedObject.name=${opts.name}` : '',
    opts.kind ? `involvedObject.kind=${opts.kind}` : '',
    opts.type ? `type=${opts.type}` : '',
  ].filter(Boolean);
  const base = {
    ...(opts.namespace ? { namespace: opts.namespace } : {}),
    signal: opts.signal,
    max: opts.max ?? 5000,
  };
  let found: { items: KubeEvent[]; truncated: boolean };
  try {
    found = await client.listAll<KubeEvent>(TYPES.events, {
      ...base,
      ...(selectors.length ? { fieldSelector: selectors.join(',') } : {}),
    });
  } catch (error) {
    if (!(error instanceof KubeApiError) || error.code !== 400 || !selectors.length) throw error;
    found = await client.listAll<KubeEvent>(TYPES.events, base);
  }
  const kind = opts.kind?.toLowerCase();
  const events = found.items.filter(
    (e) =>
      (!opts.name || e.involvedObject?.name === opts.name) &&
      (!kind || e.involvedObject?.kind?.toLowerCase() === kind) &&
      (!opts.type || e.type === opts.type),
  );
  return { events, truncated: found.truncated };
}

export const eventList = kubeTool({
  name: 'event_list',
  title: 'List events',
  description: 'Events, newest first; `type: Warning` shows only problems.',
  toolset: 'core',
  input: z.object({
    namespace: namespaceFilterIn,
    kind: nonEmpty().optional().describe('Involved object kind, e.g. `Pod`'),
    name: nonEmpty().optional().describe('Involved object name'),
    type: z.enum(['Normal', 'Warning']).optional().describe('Event type'),
    ...pageIn({ defaultLimit: 100, maxLimit: 1000 }),
  }),
  output: z.object(pageOutput(eventRow)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'events',
    narrowHint: 'filter by namespace, kind/name or type',
    columns: [
      { header: 'namespace', value: (e) => e.namespace, collapseWhenUniform: true },
      { header: 'last seen', value: (e) => e.last_seen },
      { header: 'type', value: (e) => e.type },
      { header: 'reason', value: (e) => e.reason },
      { header: 'object', value: (e) => e.object },
      {
        header: 'message',
        value: (e) => (e.count > 1 ? `${e.message} (x${e.count})` : e.message),
        maxWidth: 120,
      },
    ],
  },
  async handler(input, { client, signal }) {
    const { events } = await listEvents(client, {
      ...(input.namespace ? { namespace: input.namespace } : {}),
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.name ? { name: input.name } : {}),
      ...(input.type ? { type: input.type } : {}),
      signal,
    });
    const rows = eventRows(events);
    const offset = cursorOffset(input.cursor);
    return page(rows.slice(offset, offset + input.limit), { offset, total: rows.length });
  },
});

export const eventTools = [eventList];

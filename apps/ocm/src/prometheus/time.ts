/**
 * Times and steps of a `prometheus` query, read strictly. Times: RFC 3339 with a zone (`2025-06-06T00:00:00Z`,
 * `…+02:00`), Unix seconds (`1717632000`), `now`, or relative to now (`-1h`, `now-30m`). Steps and relative
 * times: Prometheus durations (`30s`, `5m`, `1h30m`, `1d`, `1w`) or plain seconds (`15`, `0.5`).
 */
import { badInput } from '@cloudmcp/toolkit';

/** Prometheus refuses a range query of more than 11 000 points per series. */
export const MAX_POINTS = 11_000;
/** The range when a call gives no `start`. */
export const DEFAULT_RANGE_SECONDS = 3600;
/** The step chosen when a call gives none keeps a series at about this many points. */
const TARGET_POINTS = 120;

const UNIT_SECONDS: Record<string, number> = {
  y: 365 * 86_400,
  w: 7 * 86_400,
  d: 86_400,
  h: 3600,
  m: 60,
  s: 1,
  ms: 0.001,
};
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const SECONDS = /^\d+(?:\.\d+)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * A Prometheus duration or plain seconds, in seconds; undefined when `text` is neither, or under the
 * millisecond that times are sent with (it would be sent as 0).
 */
export function parseDuration(text: string): number | undefined {
  let seconds: number;
  if (SECONDS.test(text)) {
    seconds = Number(text);
  } else {
    const match = DURATION.exec(text);
    if (!match || text === '') return undefined;
    const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
    seconds = units.reduce((sum, unit, i) => sum + Number(match[i + 1] ?? 0) * UNIT_SECONDS[unit]!, 0);
  }
  return seconds >= 0.001 ? seconds : undefined;
}

/** Seconds as a Prometheus duration: `90` → `1m30s`, `0.5` → `500ms`. */
export function formatDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms === 0) return '0s';
  let out = '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_SECONDS[unit]! * 1000;
    const count = Math.floor(ms / size);
    if (count > 0) out += `${count}${unit}`;
    ms -= count * size;
  }
  return out;
}

/** The last second RFC 3339 can write (9999-12-31T23:59:59Z); times run from the Unix epoch to it. */
const MAX_TIME = 253_402_300_799;

/** One time argument, in epoch seconds (ms precision), between 1970 and 9999. */
export function parseTime(text: string, field: string, nowMs: number): number {
  const seconds = readTime(text.trim(), nowMs);
  if (seconds === undefined) throw notATime(text, field);
  if (seconds < 0 || seconds > MAX_TIME) {
    throw badInput(field, `"${text.slice(0, 40)}" is out of range: times run from 1970 to 9999`);
  }
  return seconds;
}

function readTime(value: string, nowMs: number): number | undefined {
  if (value === 'now') return nowMs / 1000;
  const relative = /^(?:now)?-(.+)$/.exec(value);
  if (relative) {
    const seconds = parseDuration(relative[1]!);
    return seconds === undefined ? undefined : nowMs / 1000 - seconds;
  }
  if (SECONDS.test(value)) return Number(value);
  const ms = RFC3339.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function notATime(text: string, field: string) {
  return badInput(
    field,
    `"${text.slice(0, 40)}" is not a time`,
    'Give RFC 3339 with a zone (2025-06-06T00:00:00Z), Unix seconds, `now`, or a time relative to now (`-1h`, `now-30m`).',
  );
}

/** RFC 3339 in UTC, to the second (or the millisecond when there is one). */
export function isoTime(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString().replace('.000Z', 'Z');
}

export interface RangeWindow {
  start: number;
  end: number;
  step: number;
  /** Points per series. */
  points: number;
}

const NICE_STEPS = [
  1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800,
  604_800,
];

/** A step giving about `TARGET_POINTS` points over `rangeSeconds`, rounded up to a value people use. */
export function defaultStep(rangeSeconds: number): number {
  const raw = rangeSeconds / TARGET_POINTS;
  return NICE_STEPS.find((step) => step >= raw) ?? Math.ceil(raw / 86_400) * 86_400;
}

/**
 * The window of a range query: `end` defaults to now, `start` to an hour before `end`, `step` to about 120
 * points. More than 11 000 points is refused here, saying which step would fit.
 */
export function rangeWindow(
  input: { start?: string | undefined; end?: string | undefined; step?: string | undefined },
  nowMs: number,
): RangeWindow {
  const end = input.end !== undefined ? parseTime(input.end, 'end', nowMs) : nowMs / 1000;
  const start =
    input.start !== undefined ? parseTime(input.start, 'start', nowMs) : end - DEFAULT_RANGE_SECONDS;
  if (start >= end) {
    throw badInput(
      input.start !== undefined ? 'start' : 'end',
      `start (${isoTime(start)}) must be before end (${isoTime(end)})`,
    );
  }
  let step: number;
  if (input.step !== undefined) {
    const parsed = parseDuration(input.step.trim());
    if (parsed === undefined) {
      throw badInput(
        'step',
        `"${input.step.slice(0, 40)}" is not a Prometheus duration`,
        'Give a duration such as 30s, 5m, 1h or 1h30m (or seconds, e.g. 15).',
      );
    }
    step = parsed;
  } else {
    step = defaultStep(end - start);
  }
  const points = Math.floor((end - start) / step) + 1;
  if (points > MAX_POINTS) {
    const minimum = Math.ceil((end - start) / (MAX_POINTS - 1));
    throw badInput(
      'step',
      `${formatDuration(step)} over ${formatDuration(end - start)} makes ${points} points per series; Prometheus allows at most ${MAX_POINTS}`,
      `Use a step of at least ${formatDuration(minimum)} (about ${formatDuration(defaultStep(end - start))} keeps a series readable), or shorten start..end.`,
    );
  }
  return { start, end, step, points };
}

/**
 * Units of the `prometheus` tool. Prometheus answers in base units (bytes, CPU seconds per second = cores);
 * the tool converts every value — instant and range alike — to the unit asked for or inferred. (The seed
 * divided range values by 1024² whatever the unit; this is the fix.)
 */

export const UNITS = ['auto', 'bytes', 'MiB', 'GiB', 'cores', 'millicores'] as const;
export type Unit = (typeof UNITS)[number];
/** A unit after `auto` is resolved; `raw` means the values as Prometheus gave them. */
export type ResolvedUnit = Exclude<Unit, 'auto'> | 'raw';

const FACTORS: Record<ResolvedUnit, number> = {
  raw: 1,
  bytes: 1,
  MiB: 1 / 2 ** 20,
  GiB: 1 / 2 ** 30,
  cores: 1,
  millicores: 1000,
};

/**
 * `auto`: MiB when a metric name speaks of memory or bytes, cores when it speaks of CPU, else raw. Only names
 * count: string literals and label matchers are dropped first, so `up{job="memory-cache"}` stays raw.
 */
export function resolveUnit(unit: Unit, query: string): ResolvedUnit {
  if (unit !== 'auto') return unit;
  const names = query
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '')
    .replace(/\{[^}]*\}/g, '')
    .toLowerCase();
  if (/memory|bytes/.test(names)) return 'MiB';
  if (/cpu/.test(names)) return 'cores';
  return 'raw';
}

/** One value in `unit` (non-finite values stay as they are). */
export function convert(value: number, unit: ResolvedUnit): number {
  return value * FACTORS[unit];
}

/** A sample value as Prometheus writes it: a decimal string, `NaN`, `+Inf` or `-Inf`. */
export function parseSample(text: unknown): number {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return text.trim() === '' ? Number.NaN : value;
}

/** A value for a table: six significant digits, no exponent for everyday magnitudes; NaN and ±Inf by name. */
export function formatValue(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Math.abs(value) >= 1e6) return String(Math.round(value));
  return String(Number(value.toPrecision(6)));
}

/** The unit as a column header suffix: ` (MiB)`, or nothing for raw values. */
export function unitSuffix(unit: ResolvedUnit): string {
  return unit === 'raw' ? '' : ` (${unit})`;
}

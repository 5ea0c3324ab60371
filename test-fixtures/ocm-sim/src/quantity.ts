/** Just enough of Kubernetes resource quantities to add up node capacities. */

const SUFFIX: Record<string, number> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

export function parseQuantity(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`unsupported quantity "${q}"`);
  return Number(m[1]) * SUFFIX[m[2] ?? '']!;
}

/** Like resource.Quantity's String(): whole cores or millicores; binary amounts in Ki when they divide. */
export function formatQuantity(resource: string, value: number): string {
  if (resource === 'cpu') return Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`;
  if (value % 1024 === 0 && value > 0 && resource !== 'pods') return `${value / 1024}Ki`;
  return String(Math.round(value));
}

/** The sum of the given resources over a list of resource maps (node capacity or allocatable). */
export function sumResources(maps: Record<string, string>[], resources: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of resources) {
    const present = maps.filter((m) => m[r] !== undefined);
    if (present.length === 0) continue;
    out[r] = formatQuantity(
      r,
      present.reduce((sum, m) => sum + parseQuantity(m[r]!), 0),
    );
  }
  return out;
}

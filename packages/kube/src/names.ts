/** Edit distance (Levenshtein), bounded: returns `max + 1` as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * Names close to `wanted`, best first: same name in another case, names that start with it (a pod's
 * deployment prefix), names it starts with, names containing it, then small typos.
 */
export function closeNames(wanted: string, candidates: readonly string[], limit = 5): string[] {
  const w = wanted.toLowerCase();
  if (!w) return [];
  const maxTypos = Math.max(2, Math.floor(w.length / 3));
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of new Set(candidates)) {
    const n = name.toLowerCase();
    let score: number;
    if (n === w) score = 0;
    else if (n.startsWith(w)) score = 1 + (n.length - w.length) / 1000;
    else if (w.startsWith(n) && n.length >= 3) score = 2 + (w.length - n.length) / 1000;
    else if (n.includes(w) && w.length >= 3) score = 3 + n.length / 1000;
    else {
      const d = editDistance(w, n, maxTypos);
      if (d > maxTypos) {
        // Pod names end in generated suffixes: compare without them too (web-7d9f-x2k4p ~ web-7d9f-x2k4q).
        const stem = n.replace(/-[a-z0-9]{5}$/, '').replace(/-[a-f0-9]{8,10}$/, '');
        const ds = stem === n ? d : editDistance(w, stem, maxTypos);
        if (ds > maxTypos) continue;
        score = 5 + ds;
      } else score = 4 + d;
    }
    scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

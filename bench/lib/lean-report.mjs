// What bench/lean.mjs reports, from its results (also for bench/lean-table.mjs, which sets two runs side
// by side): per-server summaries of the samples, the rows of its tables, and issue 12's goals.
import { int, mib } from './report.mjs';
import { round, summarize } from './stats.mjs';

/**
 * Adds `summary` (medians and ranges), `listing` and `pod` to every Kubernetes server, and `goals` (and
 * `goalsBefore` when the run has a before build of ours).
 */
export function summarizeLean(results) {
  for (const entry of Object.values(results.kubernetes)) {
    const of = (list, pick) => summarize(list.map(pick));
    entry.summary = {
      initMs: of(entry.cold, (c) => c.initMs),
      toolsListMs: of(entry.cold, (c) => c.toolsListMs),
      spawnToToolsListMs: of(entry.cold, (c) => c.spawnToToolsListMs),
      firstCallMs: of(entry.cold, (c) => c.firstCallMs),
      spawnToFirstListMs: of(entry.cold, (c) => c.spawnToFirstListMs),
      idleAfterInitializeKiB: of(entry.sessions, (s) => s.memoryKiB.idleAfterInitialize),
      idleAfterToolsListKiB: of(entry.sessions, (s) => s.memoryKiB.idleAfterToolsList),
      afterFirstCallKiB: of(entry.sessions, (s) => s.memoryKiB.afterFirstCall),
      peakKiB: of(entry.sessions, (s) => s.memoryKiB.peak),
    };
    // Sizes do not change between runs (the simulator is seeded); the last session's are reported.
    const last = entry.sessions.at(-1);
    entry.listing = last.listing;
    entry.pod = last.pod;
  }
  results.goals = goals(results, 'ours', results.other);
  if (K_BEFORE in results.kubernetes) results.goalsBefore = goals(results, K_BEFORE, results.otherBefore);
  return results;
}

/** The id of the before build of ours in a run's Kubernetes servers. */
export const K_BEFORE = 'ours-before';

function goals(results, oursId, other) {
  const K = results.kubernetes;
  const ours = K[oursId];
  const go = K.go;
  const s = (id) => K[id].summary;
  return [
    ['model-facing tools/list ≤ Go peer', ours.toolsList.modelFacing, go.toolsList.modelFacing],
    ['output schemas ≤ ¼ of model-facing', ours.toolsList.outputSchemas, ours.toolsList.modelFacing / 4],
    ['CloudStack model-facing ≤ 3 500', other.cloudstack.modelFacing, 3500],
    ['Cloudeka default model-facing ≤ 5 000', other.cloudeka.modelFacing, 5000],
    ['pod list structuredContent ≤ 1.2 × text', ours.listing.structuredTokens, 1.2 * ours.listing.textTokens],
    ['one pod in full ≤ Go peer', ours.pod.textTokens, go.pod.textTokens],
    [
      'spawn → first pod list ≤ 1.3 × Go peer (binary), ms',
      s(oursId).spawnToFirstListMs.median,
      1.3 * s('go').spawnToFirstListMs.median,
    ],
    ['first cluster call after tools/list ≤ 50 ms', s(oursId).firstCallMs.median, 50],
    [
      'spawn → tools/list ≤ Go peer npm bin, ms',
      s(oursId).spawnToToolsListMs.median,
      s('go-npm').spawnToToolsListMs.median,
    ],
    ['RSS idle after tools/list ≤ 70 MiB', s(oursId).idleAfterToolsListKiB.median / 1024, 70],
    ['RSS after the first call ≤ 100 MiB', s(oursId).afterFirstCallKiB.median / 1024, 100],
    ['RSS peak ≤ Go peer (binary) peak, MiB', s(oursId).peakKiB.median / 1024, s('go').peakKiB.median / 1024],
  ].map(([goal, value, limit]) => ({
    goal,
    value: round(value, 1),
    limit: round(limit, 1),
    met: value <= limit,
  }));
}

const range = (s, fmt) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
const msOf = (key) => (entry) => range(entry.summary[key], (v) => String(Math.round(v)));
const mibOf = (key) => (entry) => range(entry.summary[key], mib);

/** The figures of the Kubernetes comparison: [label, cell(server entry)]. */
export function kubeFigures(results) {
  const { namespace, idleMs } = results.config;
  return [
    [
      'tools/list the model reads: tokens (tools)',
      (e) => `${int(e.toolsList.modelFacing)} (${e.toolsList.tools})`,
    ],
    ['output schemas on top: tokens', (e) => int(e.toolsList.outputSchemas)],
    [
      `every pod of ${namespace}: text / structuredContent tokens (calls)`,
      ({ listing: l }) =>
        `${int(l.textTokens)} / ${l.structuredTokens ? int(l.structuredTokens) : '–'} (${l.calls})`,
    ],
    ['… pods named in the text', (e) => String(e.listing.podsSeen)],
    ['one pod in full: text tokens', (e) => int(e.pod.textTokens)],
    ['spawn → initialize, ms', msOf('initMs')],
    ['initialize → tools/list, ms', msOf('toolsListMs')],
    ['spawn → initialize → tools/list, ms', msOf('spawnToToolsListMs')],
    ['first cluster call right after tools/list, ms', msOf('firstCallMs')],
    ['spawn → first pod list answered, ms', msOf('spawnToFirstListMs')],
    ['RSS idle after initialize, MiB', mibOf('idleAfterInitializeKiB')],
    [`RSS idle ${idleMs / 1000} s after tools/list, MiB`, mibOf('idleAfterToolsListKiB')],
    ['RSS after the first call, MiB', mibOf('afterFirstCallKiB')],
    ['RSS peak (VmHWM), MiB', mibOf('peakKiB')],
  ];
}

/** Our servers' tools/list (of the before build with `before`): [id, { tools, modelFacing, outputSchemas, onDemand }]. */
export function ourToolLists(results, before = false) {
  const k = results.kubernetes[before ? K_BEFORE : 'ours'];
  const other = before ? results.otherBefore : results.other;
  return [...Object.entries(other), ['kubernetes', { ...k.toolsList, onDemand: k.onDemand }]];
}

/** What enabling one toolset did, in a cell. */
export function onDemandCell(onDemand) {
  if (!onDemand) return 'no toolset_enable';
  if (onDemand.skipped) return onDemand.skipped;
  return (
    `${onDemand.enabled}: ${int(onDemand.modelFacing)} (${onDemand.tools} tools); ` +
    `toolset_list answer ${int(onDemand.toolsetListTokens)}`
  );
}

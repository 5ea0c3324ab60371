/**
 * The placement scheduler (ocm pkg/placement/controllers/scheduling): the clusters of the sets bound to a
 * Placement's namespace (and named in spec.clusterSets), filtered by its predicates (label and claim
 * selectors) and taints/tolerations, up to numberOfClusters (clusters already chosen first, then by name),
 * written to PlacementDecisions `<placement>-decision-<n>` (100 per object), with the Placement's status.
 */
import type { ApiClient, K8sObject } from '../api-client.js';
import { Controller } from '../controller.js';
import {
  CLUSTER_V1BETA1,
  type Condition,
  findCondition,
  LABELS,
  paths,
  sameJson,
  setConditions,
} from '../ocm.js';
import { claimsOf, matchesSelector, setMembers } from './selector.js';

const DECISIONS_PER_OBJECT = 100;

const satisfied = (status: Condition['status'], reason: string, message: string): Condition => ({
  type: 'PlacementSatisfied',
  status,
  reason,
  message,
});

function matchesPredicates(mc: K8sObject, predicates: K8sObject[]): boolean {
  if (predicates.length === 0) return true;
  return predicates.some((p) => {
    const sel = p.requiredClusterSelector ?? {};
    return (
      matchesSelector(mc.metadata.labels ?? {}, sel.labelSelector) &&
      matchesSelector(claimsOf(mc), sel.claimSelector)
    );
  });
}

/** Whether every NoSelect taint on the cluster is tolerated (and, with tolerationSeconds, still is). */
function tolerated(mc: K8sObject, tolerations: K8sObject[], now: number): boolean {
  return ((mc.spec?.taints ?? []) as K8sObject[])
    .filter((t) => t.effect === 'NoSelect' || t.effect === 'NoSelectIfNew')
    .every((t) =>
      tolerations.some((tol) => {
        const keyOk =
          tol.operator === 'Exists'
            ? !tol.key || tol.key === t.key
            : tol.key === t.key && (tol.value ?? '') === (t.value ?? '');
        const effectOk = !tol.effect || tol.effect === t.effect;
        const timeOk =
          tol.tolerationSeconds === undefined || Date.parse(t.timeAdded) + tol.tolerationSeconds * 1000 > now;
        return keyOk && effectOk && timeOk;
      }),
    );
}

interface Schedule {
  clusters: string[];
  condition: Condition;
}

function schedule(
  placement: K8sObject,
  boundSets: K8sObject[],
  clusters: K8sObject[],
  previous: string[],
): Schedule {
  if (boundSets.length === 0) {
    return {
      clusters: [],
      condition: satisfied(
        'False',
        'NoManagedClusterSetBindings',
        'No valid ManagedClusterSetBindings found in placement namespace',
      ),
    };
  }
  const wanted = (placement.spec?.clusterSets ?? []) as string[];
  const sets = wanted.length === 0 ? boundSets : boundSets.filter((s) => wanted.includes(s.metadata.name));
  if (sets.length === 0) {
    return {
      clusters: [],
      condition: satisfied(
        'False',
        'NoIntersection',
        `None of ManagedClusterSets [${wanted.join(', ')}] is bound to placement namespace`,
      ),
    };
  }
  const members = new Map<string, K8sObject>();
  for (const s of sets) for (const mc of setMembers(s, clusters)) members.set(mc.metadata.name, mc);
  if (members.size === 0) {
    const names = sets.map((s) => s.metadata.name).join(', ');
    return {
      clusters: [],
      condition: satisfied(
        'False',
        'AllManagedClusterSetsEmpty',
        `All ManagedClusterSets [${names}] have no member ManagedCluster`,
      ),
    };
  }
  const now = Date.now();
  const predicates = (placement.spec?.predicates ?? []) as K8sObject[];
  const tolerations = (placement.spec?.tolerations ?? []) as K8sObject[];
  const feasible = [...members.values()]
    .filter((mc) => matchesPredicates(mc, predicates) && tolerated(mc, tolerations, now))
    .map((mc) => mc.metadata.name as string);
  if (feasible.length === 0) {
    return {
      clusters: [],
      condition: satisfied(
        'False',
        'NoManagedClusterMatched',
        'No ManagedCluster matches any of the cluster predicate',
      ),
    };
  }
  // the Steady prioritizer keeps what was chosen before; the rest in name order
  const ordered = [
    ...feasible.filter((n) => previous.includes(n)).sort(),
    ...feasible.filter((n) => !previous.includes(n)).sort(),
  ];
  const want = placement.spec?.numberOfClusters as number | undefined;
  const chosen = (want === undefined ? ordered : ordered.slice(0, want)).sort();
  if (want !== undefined && chosen.length < want) {
    return {
      clusters: chosen,
      condition: satisfied(
        'False',
        'NotAllDecisionsScheduled',
        `${want - chosen.length} cluster decisions unscheduled`,
      ),
    };
  }
  return {
    clusters: chosen,
    condition: satisfied('True', 'AllDecisionsScheduled', 'All cluster decisions scheduled'),
  };
}

async function writeDecisions(
  client: ApiClient,
  placement: K8sObject,
  existing: K8sObject[],
  clusters: string[],
): Promise<string[]> {
  const ns = placement.metadata.namespace as string;
  const name = placement.metadata.name as string;
  const chunks: string[][] = [];
  for (let i = 0; i < clusters.length; i += DECISIONS_PER_OBJECT)
    chunks.push(clusters.slice(i, i + DECISIONS_PER_OBJECT));
  if (chunks.length === 0) chunks.push([]);
  const names: string[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const decisionName = `${name}-decision-${i + 1}`;
    names.push(decisionName);
    let pd = existing.find((d) => d.metadata.name === decisionName);
    if (!pd) {
      pd = await client.create(paths.placementDecisions(ns), {
        apiVersion: CLUSTER_V1BETA1,
        kind: 'PlacementDecision',
        metadata: {
          name: decisionName,
          namespace: ns,
          labels: {
            [LABELS.placement]: name,
            [LABELS.decisionGroupIndex]: '0',
            [LABELS.decisionGroupName]: '',
          },
          ownerReferences: [
            {
              apiVersion: CLUSTER_V1BETA1,
              kind: 'Placement',
              name,
              uid: placement.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
      });
    }
    const decisions = chunk.map((clusterName) => ({ clusterName, reason: '' }));
    if (!sameJson(decisions, pd.status?.decisions ?? [])) {
      await client.replace(paths.placementDecisions(ns, decisionName, 'status'), {
        ...pd,
        status: { decisions },
      });
    }
  }
  // decisions beyond what is needed now go
  for (const pd of existing) {
    if (!names.includes(pd.metadata.name))
      await client.delete(paths.placementDecisions(ns, pd.metadata.name));
  }
  return names;
}

async function reconcilePlacement(
  client: ApiClient,
  placement: K8sObject,
  sets: K8sObject[],
  clusters: K8sObject[],
) {
  if (placement.metadata.deletionTimestamp) return;
  const ns = placement.metadata.namespace as string;
  const bindings = await client.list(paths.clusterSetBindings(ns));
  const bound = sets.filter((s) =>
    bindings.some(
      (b) =>
        b.spec?.clusterSet === s.metadata.name &&
        b.metadata.name === s.metadata.name &&
        findCondition(b, 'Bound')?.status !== 'False',
    ),
  );
  const existing = await client.list(
    paths.placementDecisions(ns),
    `${LABELS.placement}=${placement.metadata.name}`,
  );
  const previous = existing.flatMap((pd) =>
    ((pd.status?.decisions ?? []) as K8sObject[]).map((d) => d.clusterName),
  );
  const result = schedule(placement, bound, clusters, previous);
  const decisions = await writeDecisions(client, placement, existing, result.clusters);
  const status = {
    ...placement.status,
    numberOfSelectedClusters: result.clusters.length,
    decisionGroups: [
      { decisionGroupIndex: 0, decisionGroupName: '', decisions, clusterCount: result.clusters.length },
    ],
    conditions: setConditions(placement.status?.conditions, [
      {
        type: 'PlacementMisconfigured',
        status: 'False',
        reason: 'Succeedconfigured',
        message: 'Placement configurations check pass',
      },
      result.condition,
    ]),
  };
  if (sameJson(status, placement.status)) return;
  await client.replace(paths.placements(ns, placement.metadata.name, 'status'), { ...placement, status });
}

/** How often placements are looked at again without an event (a toleration's tolerationSeconds running out). */
const RESYNC_MS = 5000;

export function placementController(client: ApiClient): Controller {
  return new Controller(
    'hub/placement',
    [client],
    async () => {
      const sets = await client.list(paths.clusterSets());
      const clusters = await client.list(paths.managedClusters());
      for (const p of await client.list(paths.placements()))
        await reconcilePlacement(client, p, sets, clusters);
    },
    { resyncMs: RESYNC_MS },
  )
    .watch(client, paths.placements())
    .watch(client, paths.managedClusters())
    .watch(client, paths.clusterSets())
    .watch(client, paths.clusterSetBindings());
}

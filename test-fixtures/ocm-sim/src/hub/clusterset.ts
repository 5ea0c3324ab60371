/**
 * The hub's ManagedClusterSet and ManagedClusterSetBinding controllers (ocm pkg/registration/hub/
 * managedclusterset, managedclustersetbinding): ClusterSetEmpty on each set, Bound on each binding.
 */
import type { ApiClient, K8sObject } from '../api-client.js';
import { Controller } from '../controller.js';
import { type Condition, paths, sameJson, setConditions } from '../ocm.js';
import { setMembers } from './selector.js';

function emptyCondition(members: number): Condition {
  return members === 0
    ? {
        type: 'ClusterSetEmpty',
        status: 'True',
        reason: 'NoClusterMatched',
        message: 'No ManagedCluster selected',
      }
    : {
        type: 'ClusterSetEmpty',
        status: 'False',
        reason: 'ClustersSelected',
        message: `${members} ManagedClusters selected`,
      };
}

function boundCondition(setExists: boolean): Condition {
  return setExists
    ? { type: 'Bound', status: 'True', reason: 'ClusterSetBound', message: '' }
    : { type: 'Bound', status: 'False', reason: 'ClusterSetNotFound', message: '' };
}

async function writeConditions(client: ApiClient, path: string, obj: K8sObject, c: Condition): Promise<void> {
  const conditions = setConditions(obj.status?.conditions, [c]);
  if (sameJson(conditions, obj.status?.conditions)) return;
  await client.replace(path, { ...obj, status: { ...obj.status, conditions } });
}

export function clusterSetController(client: ApiClient): Controller {
  return new Controller('hub/managedclusterset', [client], async () => {
    const clusters = await client.list(paths.managedClusters());
    const sets = await client.list(paths.clusterSets());
    for (const set of sets) {
      const members = setMembers(set, clusters).length;
      await writeConditions(
        client,
        paths.clusterSets(set.metadata.name, 'status'),
        set,
        emptyCondition(members),
      );
    }
    const names = new Set(sets.map((s) => s.metadata.name as string));
    for (const b of await client.list(paths.clusterSetBindings())) {
      const path = paths.clusterSetBindings(b.metadata.namespace, b.metadata.name, 'status');
      await writeConditions(client, path, b, boundCondition(names.has(b.spec?.clusterSet)));
    }
  })
    .watch(client, paths.managedClusters())
    .watch(client, paths.clusterSets())
    .watch(client, paths.clusterSetBindings());
}

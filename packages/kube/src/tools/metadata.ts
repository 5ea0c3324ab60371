import type { KubeClient, KubeList, KubeObject, ListOptions, ResourceType } from '../client.js';

// Lists of names and labels only (PartialObjectMetadataList, as controllers' metadata informers ask): small,
// and no field of the objects themselves is fetched, which matters for Secrets. There is deliberately no
// fallback to full objects: an API server that cannot answer so (before 1.15) fails the request instead.

const METADATA_ACCEPT = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io';

export async function listMetadata(
  client: KubeClient,
  type: ResourceType,
  opts: ListOptions,
): Promise<KubeList<KubeObject>> {
  return client.getJson<KubeList<KubeObject>>(
    client.path(type, opts.namespace ? { namespace: opts.namespace } : {}),
    {
      accept: METADATA_ACCEPT,
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
      },
      ...(opts.signal ? { signal: opts.signal } : {}),
      about: {
        verb: 'list',
        resource: type.resource,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
      },
    },
  );
}

/** How many objects of a type a namespace holds: one small request while the server counts the rest. */
export async function countObjects(
  client: KubeClient,
  type: ResourceType,
  namespace: string,
  signal: AbortSignal,
  max = 10_000,
): Promise<{ count: number; more?: true }> {
  let count = 0;
  let token: string | undefined;
  let limit = 1;
  do {
    const page = await listMetadata(client, type, {
      namespace,
      limit,
      ...(token ? { continue: token } : {}),
      signal,
    });
    count += page.items.length;
    token = page.metadata?.continue || undefined;
    const remaining = page.metadata?.remainingItemCount;
    if (token && typeof remaining === 'number') return { count: count + remaining };
    limit = 500; // the server gave no count: page through names
  } while (token && count < max);
  return token ? { count, more: true } : { count };
}

import type { KubeClient, ResourceType } from '../client.js';

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
    const page = await client.listMetadata(type, {
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

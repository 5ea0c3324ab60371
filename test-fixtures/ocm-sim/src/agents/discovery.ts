/** A RESTMapper over the managed cluster's discovery documents: kind → resource, scope. */
import type { ApiClient, K8sObject } from '../api-client.js';
import { ApiError, isNotFound } from '../api-client.js';

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export class RestMapper {
  private readonly cache = new Map<string, K8sObject[]>();

  constructor(private readonly client: ApiClient) {}

  /** Forgets what it learnt (a new CRD may have appeared). */
  reset(): void {
    this.cache.clear();
  }

  private async resources(apiVersion: string): Promise<K8sObject[]> {
    let list = this.cache.get(apiVersion);
    if (!list) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      try {
        list = ((await this.client.get(path)).resources ?? []) as K8sObject[];
      } catch (e) {
        if (!isNotFound(e)) throw e;
        list = [];
      }
      this.cache.set(apiVersion, list);
    }
    return list;
  }

  /** The resource for a kind, or the error client-go's RESTMapper gives when there is none. */
  async map(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const { group, version } = splitApiVersion(apiVersion);
    const find = async () =>
      (await this.resources(apiVersion)).find((r) => r.kind === kind && !String(r.name).includes('/'));
    let r = await find();
    if (!r) {
      this.cache.delete(apiVersion);
      r = await find();
    }
    if (!r) throw new ApiError(404, `no matches for kind "${kind}" in version "${apiVersion}"`, 'NotFound');
    return { group, version, kind, resource: r.name, namespaced: r.namespaced === true };
  }
}

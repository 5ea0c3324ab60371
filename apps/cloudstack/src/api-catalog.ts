import type { CallOptions, CloudStackClient } from './client/client.js';

export interface ApiParam {
  name: string;
  required: boolean;
  type?: string;
}

/** One API command as `listApis` describes it, trimmed to what the api_* tools use. */
export interface ApiInfo {
  name: string;
  description?: string;
  isasync: boolean;
  params: ApiParam[];
}

interface RawApi {
  name?: string;
  description?: string;
  isasync?: boolean | string;
  params?: Array<{ name?: string; required?: boolean | string; type?: string }>;
}

// One catalog per client (that is, per cloud and account) for the life of the process: `listApis` is a
// large answer that only changes when the cloud is upgraded or the account's role changes.
const catalogs = new WeakMap<CloudStackClient, Promise<ApiInfo[]>>();

const truthy = (value: boolean | string | undefined) => value === true || value === 'true';

function trim(raw: RawApi): ApiInfo {
  const params = (raw.params ?? [])
    .filter((p) => p.name)
    .map((p) => ({ name: String(p.name), required: truthy(p.required), ...(p.type ? { type: p.type } : {}) }))
    .sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
  return {
    name: String(raw.name),
    ...(raw.description ? { description: raw.description } : {}),
    isasync: truthy(raw.isasync),
    params,
  };
}

/** The commands this account may call, sorted by name; fetched once per client, again after a failure. */
export function apiCatalog(client: CloudStackClient, options: CallOptions): Promise<ApiInfo[]> {
  let catalog = catalogs.get(client);
  if (!catalog) {
    catalog = client.call<{ api?: RawApi[] }>('listApis', {}, options).then((answer) =>
      (answer.api ?? [])
        .filter((api) => api.name)
        .map(trim)
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
    catalogs.set(client, catalog);
    catalog.catch(() => catalogs.delete(client));
  }
  return catalog;
}

/** Finds a command by name, ignoring case (models often write `listvirtualmachines`). */
export async function findApi(
  client: CloudStackClient,
  command: string,
  options: CallOptions,
): Promise<ApiInfo | undefined> {
  const wanted = command.toLowerCase();
  return (await apiCatalog(client, options)).find((api) => api.name.toLowerCase() === wanted);
}

import type { Ctx, RouteHandlers } from '../context.js';
import { badRequest, conflict, notFound, SimError } from '../errors.js';
import type { Artifact, Repository, State } from '../state.js';
import { globMatch, registryFor, registryLog, sameOrg } from './registry.js';

const TAG = /^[\w][\w.-]{0,127}$/;

/** The enabled tag rule protecting `tag` in a repository, if any. */
function immutableRule(state: State, repo: Repository, tag: string) {
  const short = repo.name.slice(repo.name.indexOf('/') + 1);
  return [...state.tagRules.values()].find(
    (t) =>
      t.registry_id === repo.registry_id &&
      !t.disabled &&
      globMatch(t.repository, short) &&
      globMatch(t.tag, tag),
  );
}

function repositoryView(state: State, r: Repository) {
  return {
    ...r,
    repository_id: r.id,
    registry_name: state.registries.get(r.registry_id)?.name ?? null,
    artifact_count: [...state.artifacts.values()].filter((a) => a.repository_id === r.id).length,
  };
}

function tagsView(state: State, a: Artifact) {
  const repo = state.repositories.get(a.repository_id)!;
  return a.tags.map((t) => ({ ...t, immutable: immutableRule(state, repo, t.name) !== undefined }));
}

function artifactView(state: State, a: Artifact) {
  const { scan, label_ids, ...rest } = a;
  const { reads_left: _r, ...overview } = scan;
  return {
    ...rest,
    artifact_id: a.id,
    repository_name: state.repositories.get(a.repository_id)?.name ?? null,
    type: 'IMAGE',
    media_type: 'application/vnd.oci.image.manifest.v1+json',
    tags: tagsView(state, a),
    labels: label_ids.map((id) => state.labels.get(id)).filter((l) => l !== undefined),
    scan_overview: overview,
  };
}

function artifactFor(c: Ctx): Artifact {
  const id = c.str('artifact_id');
  const a = c.state.artifacts.get(id);
  const r = a && c.state.registries.get(a.registry_id);
  if (!a || !r || !sameOrg(c, r.organization_id)) throw notFound('artifact', id);
  registryFor(c, r.id);
  return a;
}

/** A scan reports Running on the first detail read after it started, and Success from the next one on. */
function advanceScan(a: Artifact): void {
  if (a.scan.status !== 'Running') return;
  if (a.scan.reads_left > 0) {
    a.scan.reads_left -= 1;
    return;
  }
  Object.assign(a.scan, {
    status: 'Success',
    severity: 'Low',
    summary: { total: 3, fixable: 3, critical: 0, high: 0, medium: 0, low: 3 },
    completed_at: new Date().toISOString(),
  });
}

function label(c: Ctx, a: Artifact) {
  const id = c.str('label_id');
  const l = c.state.labels.get(id);
  if (!l || l.registry_id !== a.registry_id) throw notFound('label', id);
  return l;
}

function repositories(c: Ctx) {
  const registryId = c.optStr('registry_id');
  const registries = registryId
    ? [registryFor(c, registryId)]
    : [...c.state.registries.values()].filter((r) => c.visibleProjects().some((p) => p.id === r.project_id));
  const ids = new Set(registries.map((r) => r.id));
  return [...c.state.repositories.values()]
    .filter((r) => ids.has(r.registry_id))
    .map((r) => repositoryView(c.state, r));
}

export const artifactRoutes: RouteHandlers = {
  'GET /core/dekaregistry/v2/repository': repositories,
  'GET /core/dekaregistry/v2/artifact/:artifact_id': (c) => {
    const a = artifactFor(c);
    advanceScan(a);
    return artifactView(c.state, a);
  },
  'GET /core/dekaregistry/v2/artifact/:artifact_id/tag': (c) => tagsView(c.state, artifactFor(c)),
  'POST /core/dekaregistry/v2/artifact/:artifact_id/tag/:tag': (c) => {
    const a = artifactFor(c);
    const tag = c.str('tag');
    if (!TAG.test(tag)) throw badRequest(`tag "${tag}" is not a valid tag name`);
    const taken = [...c.state.artifacts.values()].some(
      (x) => x.repository_id === a.repository_id && x.tags.some((t) => t.name === tag),
    );
    if (taken) throw conflict(`tag "${tag}" already exists in the repository`);
    a.tags.push({ name: tag, pushed_at: c.state.now(), immutable: false });
    const repo = c.state.repositories.get(a.repository_id)!;
    registryLog(c, c.state.registries.get(a.registry_id)!, 'create', `${repo.name}:${tag}`);
    return artifactView(c.state, a);
  },
  'DELETE /core/dekaregistry/v2/artifact/:artifact_id/tag/:tag': (c) => {
    const a = artifactFor(c);
    const tag = c.str('tag');
    if (!a.tags.some((t) => t.name === tag)) throw notFound('tag', tag);
    const repo = c.state.repositories.get(a.repository_id)!;
    const rule = immutableRule(c.state, repo, tag);
    if (rule)
      throw new SimError(
        412,
        `tag "${tag}" is immutable (rule ${rule.repository}:${rule.tag}); disable the rule first`,
      );
    a.tags = a.tags.filter((t) => t.name !== tag);
    registryLog(c, c.state.registries.get(a.registry_id)!, 'delete', `${repo.name}:${tag}`);
    return artifactView(c.state, a);
  },
  'PATCH /core/dekaregistry/v2/artifact/:artifact_id/assign-label/:label_id': (c) => {
    const a = artifactFor(c);
    const l = label(c, a);
    if (a.label_ids.includes(l.id)) throw conflict(`label ${l.name} is already added to the artifact`);
    a.label_ids.push(l.id);
    return artifactView(c.state, a);
  },
  'PATCH /core/dekaregistry/v2/artifact/:artifact_id/unassign-label/:label_id': (c) => {
    const a = artifactFor(c);
    const l = label(c, a);
    if (!a.label_ids.includes(l.id)) throw notFound('label', `${l.id} on artifact ${a.id}`);
    a.label_ids = a.label_ids.filter((x) => x !== l.id);
    return artifactView(c.state, a);
  },
  'POST /core/dekaregistry/v2/artifact/:artifact_id/scan': (c) => {
    const a = artifactFor(c);
    if (a.scan.status === 'Running') throw badRequest('a scan is already running for this artifact');
    Object.assign(a.scan, {
      status: 'Running',
      severity: null,
      summary: null,
      started_at: c.state.now(),
      completed_at: null,
      reads_left: 1,
    });
    return artifactView(c.state, a);
  },
  'POST /core/dekaregistry/v2/artifact/:artifact_id/stop-scan': (c) => {
    const a = artifactFor(c);
    if (a.scan.status !== 'Running') throw badRequest('no scan is running for this artifact');
    Object.assign(a.scan, { status: 'Stopped', completed_at: c.state.now(), reads_left: 0 });
    return artifactView(c.state, a);
  },
};

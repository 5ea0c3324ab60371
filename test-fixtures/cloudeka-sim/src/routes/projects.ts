import type { Ctx, RouteHandlers, SimEnv } from '../context.js';
import { badRequest } from '../errors.js';
import type { Project, State } from '../state.js';

export function projectView(state: State, p: Project) {
  return {
    id: p.id,
    project_id: p.id,
    name: p.name,
    project_name: p.name,
    description: p.description,
    organization_id: p.organization_id,
    organization_name: state.organizations.get(p.organization_id)?.name ?? null,
    payment_type: p.payment_type,
    status: p.status,
    vcluster: { name: p.vcluster.name, status: p.vcluster.status, version: p.vcluster.version },
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

/** What blocks a project's deletion: its billable standalone resources. */
export function resourcesOf(state: State, projectId: string) {
  const count = <T extends { project_id: string }>(m: Map<string, T>) =>
    [...m.values()].filter((x) => x.project_id === projectId).length;
  return {
    virtual_machines: count(state.vms),
    notebooks: count(state.notebooks),
    registries: count(state.registries),
  };
}

function deleteCheck(c: Ctx) {
  const p = c.project();
  const resources = resourcesOf(c.state, p.id);
  const left = Object.entries(resources)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what.replace('_', ' ')}`);
  const canDelete = left.length === 0;
  return {
    project_id: p.id,
    can_delete: canDelete,
    resources,
    message: canDelete ? 'project can be deleted' : `project still has ${left.join(', ')}; delete them first`,
  };
}

function deleteProject(c: Ctx) {
  const check = deleteCheck(c);
  if (!check.can_delete) throw badRequest(check.message);
  const id = check.project_id;
  c.state.projects.delete(id);
  c.state.kube.delete(id);
  for (const u of c.state.users.values()) u.project_ids = u.project_ids.filter((p) => p !== id);
  return { project_id: id, deleted: true };
}

/** The project's vcluster kubeconfig: a token user whose token is a fake (JWT-shaped) secret. */
export function kubeconfig(env: SimEnv, p: Project): string {
  const vc = p.vcluster.name;
  const server =
    env.kubeServer ??
    `https://${vc}.vcluster.${env.environment === 'staging' ? 'staging.' : ''}ai.cloudeka.id`;
  const ca = server.startsWith('https:')
    ? [`    certificate-authority-data: ${Buffer.from(p.vcluster.ca).toString('base64')}`]
    : [];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    ...ca,
    `    server: ${server}`,
    `  name: ${vc}`,
    'contexts:',
    '- context:',
    `    cluster: ${vc}`,
    '    namespace: default',
    `    user: ${vc}-admin`,
    `  name: ${vc}`,
    `current-context: ${vc}`,
    'preferences: {}',
    'users:',
    `- name: ${vc}-admin`,
    '  user:',
    `    token: ${p.vcluster.token}`,
    '',
  ].join('\n');
}

export const projectRoutes: RouteHandlers = {
  'GET /core/user/organization/projects/byOrg': (c) =>
    c.visibleProjects().map((p) => projectView(c.state, p)),
  'GET /core/user/project/detail/:project_id': (c) => {
    const p = c.project();
    return { ...projectView(c.state, p), resources: resourcesOf(c.state, p.id) };
  },
  'PUT /core/user/projects/:project_id': (c) => {
    const p = c.project();
    const description = c.str('description');
    if (description.length > 1000) throw badRequest('description must be at most 1000 characters');
    p.description = description;
    p.updated_at = c.state.now();
    return projectView(c.state, p);
  },
  'DELETE /core/user/checking/projects/:project_id': deleteCheck,
  'DELETE /core/user/projects/:project_id': deleteProject,
  'GET /core/user/projects/:project_id/vcluster/dashboard': (c) => {
    const p = c.project();
    return {
      project_id: p.id,
      vcluster_name: p.vcluster.name,
      status: p.vcluster.status,
      url: `https://${c.env.apiHost}/vcluster/${p.vcluster.name}/dashboard`,
    };
  },
  'GET /core/user/projects/:project_id/vcluster/kubeconfig': (c) => {
    const p = c.project();
    return { project_id: p.id, vcluster_name: p.vcluster.name, kubeconfig: kubeconfig(c.env, p) };
  },
  'GET /core/user/projects/:project_id/vcluster/namespaces': (c) => {
    const p = c.project();
    return c.state.kubeOf(p.id).list('namespaces');
  },
};

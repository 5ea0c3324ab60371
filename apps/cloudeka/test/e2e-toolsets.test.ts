import { readFileSync, statSync } from 'node:fs';
import { type CloudekaSim, loadContracts } from 'cloudeka-sim';
import { tableRows } from 'mcp-test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ok,
  routesHit,
  type Started,
  type StartOptions,
  startServer,
  structured,
  type Table,
  type ToolResult,
  text,
  UNREACHABLE,
  withSim,
} from './harness.js';

// Every toolset's happy path, as the owner (and the SuperAdmin for the superadmin toolset), against a
// production simulator and then against a staging one (--environment staging, production unreachable). The
// last test of each proves that these calls reached every route of endpoints.json.

let sim: CloudekaSim;
let environment: 'production' | 'staging';
let server: Started;
let admin: Started;
let ml: string;
let web: string;
let sandbox: string;
let ownerPassword: string;

interface Page {
  items: Array<Record<string, unknown>>;
  total?: number;
  next_cursor?: string;
}

/** A list result read as records of the columns its table shows. */
function page(result: ToolResult): Page {
  const table = structured<Table>(result);
  return { items: tableRows(table), total: table.total, next_cursor: table.next_cursor };
}

async function listed(server: Started, name: string, args: Record<string, unknown> = {}): Promise<Page> {
  const table = await ok<Table>(server, name, args);
  return { items: tableRows(table), total: table.total, next_cursor: table.next_cursor };
}

const names = (page: Page) =>
  page.items.map((i) => String(i['name'] ?? (i['metadata'] as { name?: string })?.name));

describe.each(['production', 'staging'] as const)('against %s', (env) => {
  beforeAll(async () => {
    environment = env;
    sim = await withSim({ environment: env });
    [ml, web, sandbox] = sim.ids.projectIds as [string, string, string];
    ownerPassword = sim.passwords.owner;
    // Staging: the production URL leads nowhere, so every call must go to staging.
    const where: StartOptions =
      env === 'staging'
        ? { staging: sim, env: { CLDKCTL_BASE_URL: UNREACHABLE, CLDKCTL_ENVIRONMENT: 'staging' } }
        : {};
    server = await startServer(sim, { ...where, args: ['--confirm', 'never'] });
    admin = await startServer(sim, {
      ...where,
      token: 'superadmin',
      args: ['--confirm', 'never', '--toolsets', 'all'],
    });
  });
  afterAll(async () => {
    await server?.close();
    await admin?.close();
    await sim?.close();
  });

  describe('profile', () => {
    it('auth and status say who and where, never the token or the JWT', async () => {
      const auth = await server.call('auth');
      expect(text(auth)).toMatch(
        new RegExp(
          `^Authenticated as Rina Wijaya \\(Owner\\) in organization [0-9a-f-]+ on ${environment} \\(http`,
        ),
      );
      const status = await server.call('status');
      expect(structured(status)).toMatchObject({
        environment,
        mode: environment === 'staging' ? 'staging' : 'auto',
        fell_back: false,
        authenticated: true,
        user: 'Rina Wijaya',
        role: 'Owner',
        organization_id: sim.ids.organizationId,
        base_url: sim.url,
      });
      expect(structured<{ jwt_expires_at: string }>(status).jwt_expires_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      for (const result of [auth, status]) {
        expect(JSON.stringify(result)).not.toContain(sim.tokens.owner);
        expect(JSON.stringify(result)).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
      }
    });

    it('profile_get, profile_update, profile_change_password and login_verify', async () => {
      expect(text(await server.call('profile_get'))).toContain('email: rina.wijaya@nusantaradata.example');
      await ok(server, 'profile_update', {
        name: 'Rina Wijaya',
        email: 'rina.wijaya@nusantaradata.example',
        phone_number: '+62811000111',
        address: 'Jl. Thamrin 1, Jakarta',
      });
      expect(text(await server.call('profile_get'))).toContain('phone_number: "+62811000111"');
      const newPassword = 'Rina#NewPass2025';
      await ok(server, 'profile_change_password', { old_password: ownerPassword, new_password: newPassword });
      ownerPassword = newPassword;
      const login = await server.call('login_verify', {
        username: 'rina.wijaya@nusantaradata.example',
        password: ownerPassword,
      });
      expect(text(login)).toMatch(/^The login is valid: Rina Wijaya \(Owner\)/);
      expect(JSON.stringify(login)).not.toMatch(/eyJ/);
      const wrong = await server.call('login_verify', {
        username: 'rina.wijaya@nusantaradata.example',
        password: 'x',
      });
      expect(wrong.isError).toBe(true);
      expect(text(wrong)).toContain('Upstream: 401 invalid username or password');
    });
  });

  describe('project', () => {
    it('lists, reads and updates projects, with the GPU quota both ways', async () => {
      const list = await server.call('project_list');
      expect(text(list).split('\n')[0]).toMatch(/^NAME\s+STATUS\s+PAYMENT\s+CLUSTER\s+DESCRIPTION\s+ID$/);
      expect(names(page(list))).toEqual(['ml-platform', 'web-services', 'sandbox']);
      expect(text(await server.call('project_get', { project_id: ml }))).toMatch(
        /name: ml-platform[\s\S]*payment_type: postpaid/,
      );
      await ok(server, 'project_update', { project_id: sandbox, description: 'to be deleted by e2e' });
      expect(text(await server.call('project_get', { project_id: sandbox }))).toContain(
        'description: to be deleted by e2e',
      );
      const post = await listed(server, 'project_quota_get', { project_id: ml });
      expect(post.items.map((q) => q['gpu'])).toEqual(['NVIDIA A100 80GB', 'NVIDIA H100 80GB']);
      const pre = await server.call('project_quota_get', { project_id: web, billing: 'prepaid' });
      expect(text(pre)).toMatch(/NVIDIA L40S 48GB/);
    });

    it('project_delete checks first; check_only deletes nothing', async () => {
      const check = await ok(server, 'project_delete', { project_id: sandbox, check_only: true });
      expect(check).toMatchObject({ deleted: false });
      expect(names(await listed(server, 'project_list'))).toContain('sandbox');
      const blocked = await server.call('project_delete', { project_id: ml });
      expect(blocked.isError).toBe(true);
      expect(text(blocked)).toMatch(/cannot be deleted now; nothing was deleted[\s\S]*virtual machines/);
      const deleted = await server.call('project_delete', { project_id: sandbox });
      expect(text(deleted)).toBe(`Deleted project ${sandbox}.`);
      expect(names(await listed(server, 'project_list'))).toEqual(['ml-platform', 'web-services']);
    });
  });

  describe('organization', () => {
    it('reads and updates the organization', async () => {
      expect(text(await server.call('organization_get'))).toContain('name: PT Nusantara Data Labs');
      const updated = await server.call('organization_update', {
        details: 'Data platform team',
        city: 'Jakarta',
      });
      expect(text(updated)).toMatch(/^Updated organization [0-9a-f-]+ \(details, city\)\./);
      expect(text(await server.call('organization_get'))).toContain('details: Data platform team');
    });

    it('adds, changes, suspends and removes members', async () => {
      const { outsideUserId, memberUserId, roleIds } = sim.ids;
      const members = await server.call('member_list');
      expect(text(members).split('\n')[0]).toMatch(/^NAME\s+EMAIL\s+ROLE\s+STATUS\s+PROJECTS\s+USER_ID$/);
      expect(text(members)).toMatch(/Budi Santoso\s+budi\.santoso@\S+\s+Member\s+active/);
      await ok(server, 'member_add', { user_id: outsideUserId, role_id: roleIds.member, project_id: web });
      expect(text(await server.call('member_list'))).toContain('Agus Pratama');
      await ok(server, 'member_update', { user_id: outsideUserId, role_id: roleIds.member, project_id: ml });
      await ok(server, 'member_deactivate', { user_id: memberUserId });
      expect(text(await server.call('member_list'))).toMatch(/Budi Santoso\s+\S+\s+Member\s+inactive/);
      await ok(server, 'member_activate', { user_id: memberUserId });
      expect(text(await server.call('member_list'))).toMatch(/Budi Santoso\s+\S+\s+Member\s+active/);
      expect(text(await server.call('member_delete', { user_id: outsideUserId }))).toMatch(
        new RegExp(`^Removed member ${outsideUserId}\\.`),
      );
      expect(text(await server.call('member_list'))).not.toContain('Agus Pratama');
    });

    it('creates, reads, updates and deletes a role', async () => {
      const created = await ok<{ role: { id: string } }>(server, 'role_create', {
        name: 'Auditor',
        description: 'Reads billing',
        privileges: ['billing:read'],
      });
      const id = created.role.id;
      expect(text(await server.call('role_list'))).toMatch(/Auditor\s+Reads billing/);
      await ok(server, 'role_update', { role_id: id, description: 'Reads billing and audit' });
      expect(text(await server.call('role_get', { role_id: id }))).toContain(
        'description: Reads billing and audit',
      );
      await ok(server, 'role_delete', { role_id: id });
      expect(text(await server.call('role_list'))).not.toContain('Auditor');
    });
  });

  describe('billing', () => {
    it('balance, payments, costs three ways, and invoices of both kinds', async () => {
      expect(text(await server.call('balance_get', { project_id: ml }))).toMatch(
        /balance: 5000000[\s\S]*currency: IDR/,
      );
      expect((await listed(server, 'payment_list')).items.length).toBeGreaterThan(0);
      const daily = await server.call('billing_cost_get', { project_id: ml });
      expect(text(daily).split('\n')[0]).toMatch(
        /^DATE\s+TOTAL\s+VM\s+KUBERNETES\s+REGISTRY\s+NOTEBOOK\s+STORAGE/,
      );
      expect(page(daily).items).toHaveLength(30);
      const monthly = await listed(server, 'billing_cost_get', { project_id: ml, period: 'monthly' });
      expect(monthly.items[0]).toMatchObject({ date: '2025-06' });
      const history = await listed(server, 'billing_cost_get', {
        project_id: ml,
        period: 'history',
        start: '2025-01-01',
        end: '2025-06-30',
      });
      expect(history.items.map((m) => m['date'])).toEqual([
        '2025-01',
        '2025-02',
        '2025-03',
        '2025-04',
        '2025-05',
        '2025-06',
      ]);
      const sme = await listed(server, 'invoice_list');
      expect(sme.items.length).toBeGreaterThan(0);
      const smeId = sim.ids.invoiceIds.sme[0]!;
      expect(text(await server.call('invoice_get', { invoice_id: smeId }))).toMatch(/items:/);
      const enterprise = await listed(server, 'invoice_list', { type: 'enterprise', project_id: ml });
      // the project column shows the project's name where Cloudeka gives one, else its id
      expect(enterprise.items.every((i) => [ml, 'ml-platform'].includes(String(i['project'])))).toBe(true);
      const entId = sim.ids.invoiceIds.enterprise[0]!;
      expect(text(await server.call('invoice_get', { invoice_id: entId, type: 'enterprise' }))).toMatch(
        /type: enterprise/,
      );
    });
  });

  describe('kubernetes', () => {
    const list = (args: Record<string, unknown>) =>
      server.call('kubernetes_list', { project_id: ml, ...args });

    it('lists namespaces, API resources and every kind, with a status column', async () => {
      expect(names(await listed(server, 'kubernetes_namespace_list', { project_id: ml }))).toEqual(
        expect.arrayContaining(['default', 'kube-system', 'ml-training', 'monitoring']),
      );
      const resources = await server.call('kubernetes_api_resource_list', { project_id: ml });
      expect(text(resources)).toMatch(/inferenceservices\s+isvc\s+serving\.kserve\.io\/v1beta1/);
      const pods = await list({ kind: 'pod', namespace: 'default' });
      expect(text(pods).split('\n')[0]).toMatch(/^NAME\s+NAMESPACE\s+STATUS\s+AGE$/);
      expect(text(pods)).toMatch(
        new RegExp(`${sim.ids.crashLoopPod!.name}\\s+default\\s+CrashLoopBackOff 0/1 ready, 7 restarts`),
      );
      expect(text(await list({ kind: 'deployment', namespace: 'default' }))).toMatch(
        /inference-api\s+default\s+1\/2 ready/,
      );
      expect(text(await list({ kind: 'daemonset', namespace: 'monitoring' }))).toContain('node-exporter');
      expect(text(await list({ kind: 'statefulset', namespace: 'ml-training' }))).toMatch(
        /trainer\s+ml-training\s+1\/1 ready/,
      );
      expect(text(await list({ kind: 'service', namespace: 'default' }))).toMatch(
        /inference-api\s+default\s+ClusterIP 10\./,
      );
      expect(text(await list({ kind: 'configmap', namespace: 'monitoring' }))).toMatch(
        /prometheus-config\s+monitoring/,
      );
      // Cloudeka lists these one namespace at a time (the seed's k8s_* tools): the model is told, nothing is sent.
      const sent = sim.log.length;
      for (const kind of ['pod', 'deployment', 'service', 'configmap', 'secret']) {
        expect(text(await list({ kind }))).toMatch(
          new RegExp(`^Error: Invalid input \`namespace\`: required for ${kind}`),
        );
      }
      expect(sim.log.length).toBe(sent);
      const secrets = await list({ kind: 'secret', namespace: 'default' });
      expect(text(secrets)).toContain('model-registry-credentials');
      expect(JSON.stringify(secrets)).not.toContain(
        Buffer.from('fake-registry-password-ml').toString('base64'),
      );
      expect(text(await list({ kind: 'persistentvolumeclaim', namespace: 'ml-training' }))).toMatch(
        /data-trainer-0\s+ml-training\s+Bound 100Gi/,
      );
      expect(text(await list({ kind: 'persistentvolume' }))).toMatch(/pvc-\S+\s+Bound/);
      expect(text(await list({ kind: 'datavolume', namespace: 'default' }))).toContain(
        'gpu-worker-01-rootdisk',
      );
      expect(text(await list({ kind: 'customresourcedefinition' }))).toContain(
        'inferenceservices.serving.kserve.io',
      );
      expect(
        (await listed(server, 'kubernetes_list', { project_id: ml, resource: 'ingresses' })).items,
      ).toEqual([]);
      // A singular or short name is no resource name: Cloudeka's 404, and the model is told what to pass.
      const singular = await list({ resource: 'ingress', namespace: 'default' });
      expect(text(singular)).toContain('Upstream: 404 the server could not find the requested resource');
      expect(text(singular)).toMatch(/Next: `resource` takes the plural name/);
      const cm = await server.call('kubernetes_get', {
        project_id: ml,
        kind: 'configmap',
        namespace: 'default',
        name: 'inference-config',
      });
      expect(text(cm)).toMatch(/MODEL_NAME: llama-3-8b-instruct/);
      expect(text(cm)).not.toContain('managedFields');
    });

    const manifests: Record<
      string,
      { kind?: string; resource?: string; namespace?: string; create: string; update: string; check: RegExp }
    > = {
      pod: {
        kind: 'pod',
        namespace: 'default',
        create:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: e2e-pod\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n',
        update:
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: e2e-pod\n  labels:\n    edited: "yes"\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n',
        check: /edited: "?yes"?/,
      },
      deployment: {
        kind: 'deployment',
        namespace: 'default',
        create: deployment('Deployment', 'e2e-deploy', 1),
        update: deployment('Deployment', 'e2e-deploy', 3),
        check: /replicas: 3/,
      },
      daemonset: {
        kind: 'daemonset',
        namespace: 'monitoring',
        create: deployment('DaemonSet', 'e2e-ds', 0),
        update: deployment('DaemonSet', 'e2e-ds', 0).replace('nginx:1.27', 'nginx:1.28'),
        check: /nginx:1\.28/,
      },
      statefulset: {
        kind: 'statefulset',
        namespace: 'ml-training',
        create: deployment('StatefulSet', 'e2e-sts', 1),
        update: deployment('StatefulSet', 'e2e-sts', 2),
        check: /replicas: 2/,
      },
      service: {
        kind: 'service',
        namespace: 'default',
        create: 'kind: Service\nmetadata:\n  name: e2e-svc\nspec:\n  ports:\n  - port: 80\n',
        update:
          'kind: Service\nmetadata:\n  name: e2e-svc\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 443\n',
        check: /port: 443/,
      },
      pvc: {
        kind: 'persistentvolumeclaim',
        namespace: 'default',
        create: 'metadata:\n  name: e2e-pvc\nspec:\n  resources:\n    requests:\n      storage: 5Gi\n',
        update: 'metadata:\n  name: e2e-pvc\nspec:\n  resources:\n    requests:\n      storage: 8Gi\n',
        check: /storage: 8Gi/,
      },
      pv: {
        kind: 'persistentvolume',
        create:
          'metadata:\n  name: e2e-pv\nspec:\n  capacity:\n    storage: 5Gi\n  accessModes: [ReadWriteOnce]\n',
        update:
          'metadata:\n  name: e2e-pv\nspec:\n  capacity:\n    storage: 9Gi\n  accessModes: [ReadWriteOnce]\n',
        check: /storage: 9Gi/,
      },
      datavolume: {
        kind: 'datavolume',
        namespace: 'default',
        create:
          'metadata:\n  name: e2e-dv\nspec:\n  storage:\n    resources:\n      requests:\n        storage: 10Gi\n',
        update:
          'metadata:\n  name: e2e-dv\nspec:\n  storage:\n    resources:\n      requests:\n        storage: 12Gi\n',
        check: /storage: 12Gi/,
      },
      crd: {
        kind: 'customresourcedefinition',
        create:
          'metadata:\n  name: widgets.e2e.example.com\nspec:\n  group: e2e.example.com\n  scope: Namespaced\n' +
          '  names:\n    plural: widgets\n    singular: widget\n    kind: Widget\n  versions:\n  - name: v1\n    served: true\n    storage: true\n',
        update: 'metadata:\n  labels:\n    team: e2e\n',
        check: /team: e2e/,
      },
      generic: {
        resource: 'ingresses',
        namespace: 'default',
        create: 'metadata:\n  name: e2e-ing\nspec:\n  rules:\n  - host: e2e.example.com\n',
        update: 'metadata:\n  annotations:\n    e2e: patched\n',
        check: /e2e: patched/,
      },
    };

    it.each(Object.entries(manifests))('creates, updates and deletes a %s', async (_label, m) => {
      const where = {
        project_id: ml,
        ...(m.kind ? { kind: m.kind } : { resource: m.resource }),
        ...(m.namespace ? { namespace: m.namespace } : {}),
      };
      const name = /name: (\S+)/.exec(m.create)![1]!;
      const created = await server.call('kubernetes_create', { ...where, manifest: m.create });
      expect(created.isError, text(created)).toBeFalsy();
      expect(text(created)).toMatch(
        new RegExp(`^Created ${m.kind ?? m.resource} ${name.replace(/\./g, '\\.')}`),
      );
      const updated = await server.call('kubernetes_update', { ...where, name, manifest: m.update });
      expect(updated.isError, text(updated)).toBeFalsy();
      const got = await server.call('kubernetes_get', { ...where, name });
      expect(text(got)).toMatch(m.check);
      const deleted = await server.call('kubernetes_delete', { ...where, name });
      expect(deleted.isError, text(deleted)).toBeFalsy();
      const gone = await server.call('kubernetes_get', { ...where, name });
      expect(gone.isError).toBe(true);
    });

    it('a configmap given as an object goes through the generic family and is patched', async () => {
      const where = { project_id: ml, kind: 'configmap', namespace: 'default' };
      await ok(server, 'kubernetes_create', {
        ...where,
        manifest: { metadata: { name: 'e2e-cm' }, data: { a: '1' } },
      });
      await ok(server, 'kubernetes_update', { ...where, name: 'e2e-cm', manifest: { data: { b: '2' } } });
      expect(text(await server.call('kubernetes_get', { ...where, name: 'e2e-cm' }))).toMatch(
        /a: "1"\n\s+b: "2"/,
      );
      await ok(server, 'kubernetes_delete', { ...where, name: 'e2e-cm' });
    });

    it('opens a pod console, kubeconfig without credentials, and the dashboard', async () => {
      await ok(server, 'kubernetes_create', {
        project_id: ml,
        kind: 'pod',
        namespace: 'default',
        manifest: { metadata: { name: 'shell' }, spec: { containers: [{ name: 'sh', image: 'busybox' }] } },
      });
      const console = await server.call('kubernetes_pod_console', {
        project_id: ml,
        namespace: 'default',
        pod: 'shell',
      });
      expect(console.isError, text(console)).toBeFalsy();
      expect(text(console)).toMatch(/container: sh/);
      expect(text(console)).toMatch(/websocket_url: wss:\/\//);
      expect(text(console)).toMatch(/token: "?\[REDACTED\]/);
      const kubeconfig = await server.call('kubernetes_kubeconfig_get', { project_id: ml });
      expect(text(kubeconfig)).toMatch(
        /server: https:\/\/vc-ml-platform\.vcluster\.(staging\.)?ai\.cloudeka\.id/,
      );
      expect(text(kubeconfig)).toMatch(/token: "?\[REDACTED\]/);
      expect(text(kubeconfig)).not.toMatch(/eyJ/);
      expect(text(await server.call('kubernetes_dashboard_get', { project_id: ml }))).toMatch(
        /url: https:\/\/.*dashboard/,
      );
    });
  });

  describe('vm', () => {
    it('reads the catalog', async () => {
      expect(text(await server.call('vm_image_list'))).toMatch(/^NAME\s+OS\s+VERSION\s+USER\s+ID$/m);
      const types = await listed(server, 'vm_flavor_type_list');
      expect(types.items.length).toBeGreaterThan(0);
      const flavors = await server.call('vm_flavor_list', { flavor_type_id: sim.ids.flavorTypeIds[0] });
      expect(text(flavors).split('\n')[0]).toMatch(/^NAME\s+CPU\s+MEM_GB\s+GPU\s+PRICE_HOUR\s+ID$/);
      expect(text(await server.call('vm_gpu_list', { project_id: ml }))).toMatch(/NVIDIA A100 80GB\s+80\s+3/);
      expect(text(await server.call('vm_storage_class_list', { project_id: ml }))).toMatch(
        /ceph-ssd\s+rbd\.csi\.ceph\.com\s+true/,
      );
    });

    it('lists, reads and powers VMs', async () => {
      const [gpuWorker] = sim.ids.vmIds as [string];
      const list = await server.call('vm_list', { project_id: ml });
      expect(text(list)).toMatch(/gpu-worker-01\s+default\s+running\s+gpu\.a100\.1/);
      expect(text(list)).toMatch(/jupyter-host\s+default\s+off/);
      expect(names(page(await server.call('vm_list', { project_id: ml, status: 'off' })))).toEqual([
        'jupyter-host',
      ]);
      expect(text(await server.call('vm_get', { vm_id: gpuWorker }))).toContain('name: gpu-worker-01');
      expect(text(await server.call('vm_turn_off', { vm_id: gpuWorker }))).toMatch(
        /^VM \S+ is turning off\.[\s\S]*status: "off"/,
      );
      expect(text(await server.call('vm_get', { vm_id: gpuWorker }))).toContain('status: "off"');
      await ok(server, 'vm_turn_on', { vm_id: gpuWorker });
      expect(text(await server.call('vm_reboot', { vm_id: gpuWorker }))).toContain('reboot_count: 1');
    });

    it('creates VMs from fields and from a manifest, updates and deletes them', async () => {
      const created = await ok<{ vm: { id: string; status: string } }>(server, 'vm_create', {
        project_id: web,
        name: 'e2e-vm',
        flavor: 'gp.small',
        image: sim.ids.imageIds[0],
        storage: '20Gi',
        network: 'default',
        namespace: 'web',
      });
      expect(created.vm.status).toBe('running');
      const manifest = [
        'apiVersion: kubevirt.io/v1',
        'kind: VirtualMachine',
        'metadata:',
        '  name: e2e-yaml-vm',
        'spec:',
        '  running: true',
        '  template:',
        '    spec:',
        '      domain:',
        '        cpu:',
        '          cores: 2',
        '        memory:',
        '          guest: 4Gi',
        '',
      ].join('\n');
      const fromYaml = await ok<{ vm: { id: string; cpu: number } }>(server, 'vm_yaml_create', {
        project_id: web,
        namespace: 'web',
        manifest,
      });
      expect(fromYaml.vm.cpu).toBe(2);
      const updated = await ok<{ vm: { cpu: number } }>(server, 'vm_yaml_update', {
        project_id: web,
        namespace: 'web',
        name: 'e2e-yaml-vm',
        manifest: manifest.replace('cores: 2', 'cores: 4'),
      });
      expect(updated.vm.cpu).toBe(4);
      for (const id of [created.vm.id, fromYaml.vm.id]) {
        expect(text(await server.call('vm_delete', { vm_id: id }))).toMatch(/is being deleted/);
      }
      expect(text(await server.call('vm_list', { project_id: web }))).not.toContain('e2e-');
    });
  });

  describe('registry', () => {
    it('lists, reads, creates and updates registries, with quota, logs, certificate and CLI login', async () => {
      const [models] = sim.ids.registryIds as [string];
      const mine = await server.call('registry_list', { project_id: ml });
      expect(text(mine).split('\n')[0]).toMatch(
        /^NAME\s+PROJECT\s+VISIBILITY\s+LIMIT_GB\s+USED_MB\s+REPOS\s+ID$/,
      );
      expect(names(page(mine))).toEqual(['ml-models']);
      expect(names(await listed(server, 'registry_list')).sort()).toEqual(['ml-models', 'web-images']);
      const got = await server.call('registry_get', { registry_id: models });
      expect(text(got)).toMatch(/registry:[\s\S]*name: ml-models[\s\S]*overview:[\s\S]*artifact_count: \d/);
      const created = await ok<{ registry: { id: string } }>(server, 'registry_create', {
        project_id: ml,
        name: 'e2e-registry',
        size_limit_gb: 10,
      });
      await ok(server, 'registry_update', { registry_id: created.registry.id, public: true });
      expect(text(await server.call('registry_get', { registry_id: created.registry.id }))).toContain(
        'visibility: public',
      );
      expect(text(await server.call('registry_log_list', { registry_id: created.registry.id }))).toMatch(
        /create\s+e2e-registry/,
      );
      expect(text(await server.call('registry_quota_get', { project_id: ml }))).toMatch(/limit_gb: 200/);
      expect(text(await server.call('registry_certificate_get'))).toContain('BEGIN CERTIFICATE');
      const login = await server.call('registry_password_get', { password: ownerPassword });
      expect(text(login)).toContain('username: rina.wijaya@nusantaradata.example');
      expect(text(login)).toMatch(/password: "?\[REDACTED\]/);

      // Members of the new registry.
      const candidates = await listed(server, 'registry_member_available_list', { project_id: ml });
      expect(candidates.items.map((u) => u['user_id'])).toContain(sim.ids.memberUserId);
      const added = await ok<{ member: { id: string } }>(server, 'registry_member_add', {
        registry_id: created.registry.id,
        user_id: sim.ids.memberUserId,
      });
      expect(text(await server.call('registry_member_list', { registry_id: created.registry.id }))).toMatch(
        /Budi Santoso\s+\S+\s+developer/,
      );
      await ok(server, 'registry_member_delete', {
        registry_id: created.registry.id,
        member_id: added.member.id,
      });
      expect(
        text(await server.call('registry_member_list', { registry_id: created.registry.id })),
      ).not.toContain('Budi');
    });

    it('repositories, artifacts, their tags, labels and scans', async () => {
      const [models] = sim.ids.registryIds as [string];
      const [trainer] = sim.ids.artifactIds as [string];
      expect(text(await server.call('registry_repository_list', { registry_id: models }))).toMatch(
        /ml-models\/trainer/,
      );
      expect(text(await server.call('registry_artifact_get', { artifact_id: trainer }))).toMatch(
        /digest: sha256:/,
      );
      const scanning = await ok<{ artifact: { scan_overview: { status: string } } }>(
        server,
        'registry_artifact_scan',
        {
          artifact_id: trainer,
        },
      );
      expect(scanning.artifact.scan_overview.status).toBe('Running');
      await ok(server, 'registry_artifact_scan', { artifact_id: trainer, stop: true });
      expect(text(await server.call('registry_artifact_tag_list', { artifact_id: trainer }))).toMatch(
        /1\.4\.0\s+\S+\s+true/,
      );
      await ok(server, 'registry_artifact_tag_add', { artifact_id: trainer, tag: 'e2e' });
      expect(text(await server.call('registry_artifact_tag_list', { artifact_id: trainer }))).toContain(
        'e2e',
      );
      await ok(server, 'registry_artifact_tag_delete', { artifact_id: trainer, tag: 'e2e' });

      const label = await ok<{ label: { id: string } }>(server, 'registry_label_create', {
        registry_id: models,
        project_id: ml,
        name: 'e2e-label',
        color: '#00ff00',
      });
      await ok(server, 'registry_label_update', {
        registry_id: models,
        project_id: ml,
        label_id: label.label.id,
        description: 'from e2e',
      });
      expect(text(await server.call('registry_label_list', { registry_id: models, project_id: ml }))).toMatch(
        /e2e-label\s+#00ff00\s+from e2e/,
      );
      await ok(server, 'registry_artifact_label', { artifact_id: trainer, label_id: label.label.id });
      expect(text(await server.call('registry_artifact_get', { artifact_id: trainer }))).toContain(
        'name: e2e-label',
      );
      await ok(server, 'registry_artifact_label', {
        artifact_id: trainer,
        label_id: label.label.id,
        remove: true,
      });
      await ok(server, 'registry_label_delete', {
        registry_id: models,
        project_id: ml,
        label_id: label.label.id,
      });
      expect(
        text(await server.call('registry_label_list', { registry_id: models, project_id: ml })),
      ).not.toContain('e2e-label');
    });

    it('immutable-tag rules: create, update, disable, enable, delete', async () => {
      const [models] = sim.ids.registryIds as [string];
      const rule = await ok<{ rule: { id: string } }>(server, 'registry_tag_create', {
        registry_id: models,
        tag: 'e2e-*',
      });
      await ok(server, 'registry_tag_update', { tag_id: rule.rule.id, repository: 'trainer' });
      expect(text(await server.call('registry_tag_list', { registry_id: models }))).toMatch(
        /trainer\s+e2e-\*\s+false/,
      );
      expect(
        text(await server.call('registry_tag_enable', { tag_id: rule.rule.id, enabled: false })),
      ).toContain('is disabled');
      expect(text(await server.call('registry_tag_list', { registry_id: models }))).toMatch(
        /trainer\s+e2e-\*\s+true/,
      );
      await ok(server, 'registry_tag_enable', { tag_id: rule.rule.id });
      await ok(server, 'registry_tag_delete', { tag_id: rule.rule.id });
      expect(text(await server.call('registry_tag_list', { registry_id: models }))).not.toContain('e2e-');
    });
  });

  describe('notebook', () => {
    it('creates, stops, starts, updates and deletes a notebook', async () => {
      expect(text(await server.call('notebook_image_list'))).toMatch(/PyTorch 2\.3 CUDA 12\.1/);
      expect((await listed(server, 'notebook_list', { project_id: ml })).items.length).toBeGreaterThan(0);
      const ref = { project_id: ml, namespace: 'default', name: 'e2e-nb' };
      await ok(server, 'notebook_create', {
        ...ref,
        image: 'Jupyter Minimal',
        cpu: '1',
        memory: '2Gi',
        storage: '5Gi',
      });
      expect(text(await server.call('notebook_list', { project_id: ml }))).toMatch(
        /e2e-nb\s+default\s+running/,
      );
      await ok(server, 'notebook_stop', ref);
      expect(text(await server.call('notebook_list', { project_id: ml }))).toMatch(
        /e2e-nb\s+default\s+stopped/,
      );
      await ok(server, 'notebook_start', ref);
      const yaml =
        'apiVersion: kubeflow.org/v1\nkind: Notebook\nmetadata:\n  name: e2e-nb\nspec:\n  template:\n    spec:\n      containers:\n      - name: e2e-nb\n        image: jupyter/scipy-notebook:2024-06\n';
      await ok(server, 'notebook_update', { ...ref, yaml });
      expect(text(await server.call('notebook_list', { project_id: ml }))).toContain(
        'jupyter/scipy-notebook:2024-06',
      );
      await ok(server, 'notebook_delete', ref);
      expect(text(await server.call('notebook_list', { project_id: ml }))).not.toContain('e2e-nb');
    });
  });

  describe('voucher', () => {
    it('lists claimed vouchers of both kinds and claims one', async () => {
      expect(text(await server.call('voucher_list'))).toContain('CLDK-Q1-BONUS');
      expect(text(await server.call('voucher_list', { type: 'trial' }))).toContain('CLDK-TRIAL-STARTER');
      const before = (await ok<{ balance: { balance: number } }>(server, 'balance_get', { project_id: web }))
        .balance.balance;
      await ok(server, 'voucher_claim', { code: 'CLDK-WELCOME-100K', project_id: web });
      const after = (await ok<{ balance: { balance: number } }>(server, 'balance_get', { project_id: web }))
        .balance.balance;
      expect(after - before).toBe(100_000);
      expect(text(await server.call('voucher_list'))).toContain('CLDK-WELCOME-100K');
    });
  });

  describe('token', () => {
    it('lists, renames, regenerates (into a 0600 file, switching to it) and deletes cldkctl tokens', async () => {
      const list = await server.call('token_list');
      expect(text(list)).toMatch(/laptop\s+active\s+never/);
      expect(text(list)).toMatch(/old-laptop\s+revoked/);
      const { owner, revoked } = sim.ids.tokenIds;
      await ok(server, 'token_update', { token_id: revoked, name: 'old-laptop-renamed' });
      expect(text(await server.call('token_list'))).toContain('old-laptop-renamed');
      // The server's own token: its new value goes to the default directory (stdio) and the server follows it.
      const before = sim.tokens.owner;
      const regenerated = await server.call('token_regenerate', {
        token_id: owner,
        expiration_days: 30,
        token_file: 'laptop-new',
      });
      expect(regenerated.isError, text(regenerated)).toBeFalsy();
      const after = sim.tokens.owner;
      expect(after).not.toBe(before);
      const out = structured<{ token_file: string; server_switched: boolean }>(regenerated);
      expect(out.server_switched).toBe(true);
      expect(out.token_file).toMatch(/\/\.cldkctl\/cloudmcp\/laptop-new$/);
      expect(statSync(out.token_file).mode & 0o777).toBe(0o600);
      expect(readFileSync(out.token_file, 'utf8')).toBe(`${after}\n`);
      for (const value of [after, after.slice(8), before, before.slice(8)]) {
        expect(JSON.stringify(regenerated)).not.toContain(value);
      }
      expect(text(regenerated)).toContain('now uses the new value');
      // The next call works with a fresh exchange of the new value; the old value is refused by Cloudeka.
      expect(text(await server.call('auth'))).toMatch(/^Authenticated as Rina Wijaya/);
      const old = await fetch(`${sim.url}/core/cldkctl/auth`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: before }),
      });
      expect(old.status).toBe(401);
      expect(server.stderr()).not.toContain(after.slice(8));
      await ok(server, 'token_delete', { token_id: revoked });
      expect(text(await server.call('token_list'))).not.toContain('old-laptop');
    });
  });

  describe('audit', () => {
    it('lists the activity, newest first, filtered', async () => {
      const all = await listed(server, 'audit_log_list');
      expect(all.items.length).toBeGreaterThan(0);
      const budi = await listed(server, 'audit_log_list', { user: 'budi' });
      expect(budi.items.every((e) => String(e['user']).includes('Budi'))).toBe(true);
    });
  });

  describe('superadmin', () => {
    it('is off by default and works for the SuperAdmin with --toolsets all', async () => {
      const { tools } = await server.client.listTools();
      expect(tools.some((t) => t.name.startsWith('superadmin_'))).toBe(false);
      const { organizationId, pendingUserId } = sim.ids;
      const projects = await admin.call('superadmin_project_list', { organization_id: organizationId });
      expect(page(projects).items.map((p) => p['project'])).toEqual(['ml-platform', 'web-services']);
      expect(
        text(await admin.call('superadmin_organization_get', { organization_id: organizationId })),
      ).toMatch(/name: PT Nusantara Data Labs[\s\S]*members:/);
      expect(
        text(await admin.call('superadmin_balance_get', { organization_id: organizationId, project_id: ml })),
      ).toMatch(/balance: /);
      expect(
        (await listed(admin, 'superadmin_invoice_list', { organization_id: organizationId })).items.length,
      ).toBeGreaterThan(0);
      const enterprise = await listed(admin, 'superadmin_invoice_list', {
        organization_id: organizationId,
        type: 'enterprise',
        project_id: ml,
      });
      expect(enterprise.items.length).toBeGreaterThan(0);
      await ok(admin, 'superadmin_invitation_resend', { user_id: pendingUserId });
      // The owner is refused with Cloudeka's own words.
      const owner = await startServer(sim, {
        args: ['--toolsets', 'superadmin'],
        ...(environment === 'staging' ? { staging: sim, env: { CLDKCTL_ENVIRONMENT: 'staging' } } : {}),
      });
      const refused = await owner.call('superadmin_project_list');
      await owner.close();
      expect(text(refused)).toContain('Upstream: 403 only SuperAdmin can access this endpoint');
    });
  });

  describe('route coverage', () => {
    it('the calls above reached every one of the 147 routes of endpoints.json, in the shape the sim takes', () => {
      // The simulator's routes: the table's, with the ConfigMap and Secret lists on the live-tested plural paths.
      const wanted = new Set(loadContracts().map((c) => c.key));
      expect(wanted.size).toBe(149);
      const hit = routesHit(sim);
      const missing = [...wanted].filter((r) => !hit.has(r));
      expect(missing).toEqual([]);
      // ... and each accepted at least once: the request shapes here are the ones the simulator takes.
      const accepted = new Set(sim.log.filter((e) => e.status === 200).map((e) => `${e.method} ${e.route}`));
      expect([...wanted].filter((r) => !accepted.has(r))).toEqual([]);
      // Path parameters were always filled in: no request reached the simulator with a literal `:name`.
      expect(sim.log.filter((e) => e.path.includes('/:'))).toEqual([]);
    });
  });
});

function deployment(kind: string, name: string, replicas: number): string {
  return [
    'apiVersion: apps/v1',
    `kind: ${kind}`,
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...(kind === 'DaemonSet' ? [] : [`  replicas: ${replicas}`]),
    '  selector:',
    '    matchLabels:',
    `      app: ${name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${name}`,
    '    spec:',
    '      containers:',
    '      - name: app',
    '        image: nginx:1.27',
    '',
  ].join('\n');
}

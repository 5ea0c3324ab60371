/** Server-side `Table` conversion (meta.k8s.io/v1), following kubernetes/pkg/printers/internalversion. */
import type { JsonObject } from './patch.js';
import type { PrinterColumn, ResourceType } from './resources.js';
import { selectorString } from './selectors.js';

export interface ColumnDef {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

type Cell = string | number | boolean | null;

interface Printer {
  columns: ColumnDef[];
  row(o: JsonObject, now: number): Cell[];
}

const NAME_DESC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const col = (name: string, description = '', priority = 0, type = 'string', format = ''): ColumnDef => ({
  name,
  type,
  format,
  description,
  priority,
});
const NAME = col('Name', NAME_DESC, 0, 'string', 'name');
const AGE = col('Age', AGE_DESC);

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function since(ts: string | undefined | null, now: number): string {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

const age = (o: JsonObject, now: number) => since(o.metadata?.creationTimestamp, now);
const none = (s: string | undefined | null) => (s === undefined || s === null || s === '' ? '<none>' : s);

function containersImages(spec: JsonObject | undefined): [string, string] {
  const cs = (spec?.containers ?? []) as JsonObject[];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

// ---- pods -----------------------------------------------------------------------------------------------------

function hasPodReadyCondition(conds: JsonObject[] | undefined): boolean {
  return (conds ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function podStatusCells(
  pod: JsonObject,
  now: number,
): { ready: string; status: string; restarts: string } {
  const st = pod.status ?? {};
  const spec = pod.spec ?? {};
  let restarts = 0;
  let lastRestart = 0;
  const total = (spec.containers ?? []).length;
  let readyContainers = 0;
  let reason: string = st.phase ?? '';
  if (st.reason) reason = st.reason;

  let initializing = false;
  const inits = (st.initContainerStatuses ?? []) as JsonObject[];
  inits.forEach((c, i) => {
    restarts += c.restartCount ?? 0;
    const term = c.state?.terminated;
    if (term && term.exitCode === 0) return;
    if (term) {
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${term.exitCode}`;
      initializing = true;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
      initializing = true;
    } else if (!(c.started && c.state?.running)) {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
      initializing = true;
    }
  });
  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const cs = [...((st.containerStatuses ?? []) as JsonObject[])].reverse();
    for (const c of cs) {
      restarts += c.restartCount ?? 0;
      const finished = c.lastState?.terminated?.finishedAt;
      if (finished) lastRestart = Math.max(lastRestart, Date.parse(finished));
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated) {
        reason = c.state.terminated.signal
          ? `Signal:${c.state.terminated.signal}`
          : `ExitCode:${c.state.terminated.exitCode}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning)
      reason = hasPodReadyCondition(st.conditions) ? 'Running' : 'NotReady';
  }
  if (pod.metadata?.deletionTimestamp) reason = st.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartStr =
    lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${readyContainers}/${total}`, status: reason, restarts: restartStr };
}

const POD: Printer = {
  columns: [
    NAME,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    AGE,
    col(
      'IP',
      'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
      1,
    ),
    col('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
    col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
    col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  row(o, now) {
    const s = podStatusCells(o, now);
    const gates = (o.spec?.readinessGates ?? []) as JsonObject[];
    const gateCell = gates.length
      ? `${gates.filter((g) => (o.status?.conditions ?? []).some((c: JsonObject) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
      : '<none>';
    return [
      o.metadata.name,
      s.ready,
      s.status,
      s.restarts,
      age(o, now),
      none(o.status?.podIP),
      none(o.spec?.nodeName),
      none(o.status?.nominatedNodeName),
      gateCell,
    ];
  },
};

// ---- workloads ------------------------------------------------------------------------------------------------

const CONTAINERS = col('Containers', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'Images referenced by each container in the template.', 1);
const SELECTOR = col(
  'Selector',
  'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
  1,
);

const DEPLOYMENT: Printer = {
  columns: [
    NAME,
    col('Ready', 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      0,
      'integer',
    ),
    col(
      'Available',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      0,
      'integer',
    ),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  row(o, now) {
    const [c, i] = containersImages(o.spec?.template?.spec);
    return [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      o.status?.updatedReplicas ?? 0,
      o.status?.availableReplicas ?? 0,
      age(o, now),
      c,
      i,
      selectorString(o.spec?.selector),
    ];
  },
};

const REPLICASET: Printer = {
  columns: [
    NAME,
    col('Desired', 'Replicas is the number of desired replicas.', 0, 'integer'),
    col('Current', 'Replicas is the most recently observed number of replicas.', 0, 'integer'),
    col('Ready', 'The number of ready replicas for this replica set.', 0, 'integer'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  row(o, now) {
    const [c, i] = containersImages(o.spec?.template?.spec);
    return [
      o.metadata.name,
      o.spec?.replicas ?? 0,
      o.status?.replicas ?? 0,
      o.status?.readyReplicas ?? 0,
      age(o, now),
      c,
      i,
      selectorString(o.spec?.selector),
    ];
  },
};

const STATEFULSET: Printer = {
  columns: [NAME, col('Ready', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
  row(o, now) {
    const [c, i] = containersImages(o.spec?.template?.spec);
    return [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, age(o, now), c, i];
  },
};

const DAEMONSET: Printer = {
  columns: [
    NAME,
    col('Desired', 'The total number of nodes that should be running the daemon pod.', 0, 'integer'),
    col(
      'Current',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
      0,
      'integer',
    ),
    col(
      'Ready',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.',
      0,
      'integer',
    ),
    col('Up-to-date', 'The total number of nodes that are running updated daemon pod', 0, 'integer'),
    col(
      'Available',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)',
      0,
      'integer',
    ),
    col('Node Selector', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  row(o, now) {
    const [c, i] = containersImages(o.spec?.template?.spec);
    const ns = Object.entries((o.spec?.template?.spec?.nodeSelector ?? {}) as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const s = o.status ?? {};
    return [
      o.metadata.name,
      s.desiredNumberScheduled ?? 0,
      s.currentNumberScheduled ?? 0,
      s.numberReady ?? 0,
      s.updatedNumberScheduled ?? 0,
      s.numberAvailable ?? 0,
      none(ns),
      age(o, now),
      c,
      i,
      selectorString(o.spec?.selector),
    ];
  },
};

const JOB: Printer = {
  columns: [
    NAME,
    col('Status', 'Status of the job.'),
    col('Completions', 'The desired number of successfully finished pods the job should be run with.'),
    col('Duration', 'Time required to complete the job.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  row(o, now) {
    const [c, i] = containersImages(o.spec?.template?.spec);
    const s = o.status ?? {};
    const conds = (s.conditions ?? []) as JsonObject[];
    const has = (t: string) => conds.some((x) => x.type === t && x.status === 'True');
    const status = has('Complete')
      ? 'Complete'
      : has('Failed')
        ? 'Failed'
        : has('Suspended')
          ? 'Suspended'
          : 'Running';
    const start = s.startTime ? Date.parse(s.startTime) : undefined;
    const end = s.completionTime ? Date.parse(s.completionTime) : now;
    return [
      o.metadata.name,
      status,
      `${s.succeeded ?? 0}/${o.spec?.completions ?? 1}`,
      start === undefined ? '' : humanDuration(end - start),
      age(o, now),
      c,
      i,
      selectorString(o.spec?.selector),
    ];
  },
};

const CRONJOB: Printer = {
  columns: [
    NAME,
    col('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col(
      'Timezone',
      'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.',
    ),
    col('Suspend', 'This flag tells the controller to suspend subsequent executions.', 0, 'boolean'),
    col('Active', 'A list of pointers to currently running jobs.', 0, 'integer'),
    col('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    AGE,
    CONTAINERS,
    IMAGES,
    SELECTOR,
  ],
  row(o, now) {
    const [c, i] = containersImages(o.spec?.jobTemplate?.spec?.template?.spec);
    return [
      o.metadata.name,
      o.spec?.schedule ?? '',
      none(o.spec?.timeZone),
      o.spec?.suspend ?? false,
      (o.status?.active ?? []).length,
      o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>',
      age(o, now),
      c,
      i,
      selectorString(o.spec?.jobTemplate?.spec?.selector),
    ];
  },
};

// ---- services, networking ---------------------------------------------------------------------------------------

function servicePorts(spec: JsonObject): string {
  const ports = (spec.ports ?? []) as JsonObject[];
  if (ports.length === 0) return '<none>';
  return ports
    .map((p) =>
      p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
    )
    .join(',');
}

function externalIP(o: JsonObject): string {
  const spec = o.spec ?? {};
  const ext = (spec.externalIPs ?? []) as string[];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const ing = ((o.status?.loadBalancer?.ingress ?? []) as JsonObject[]).map((i) => i.ip ?? i.hostname);
      const all = [...ing, ...ext];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

const SERVICE: Printer = {
  columns: [
    NAME,
    col('Type', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col(
      'External-IP',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    col('Port(s)', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row(o, now) {
    const sel = Object.entries((o.spec?.selector ?? {}) as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return [
      o.metadata.name,
      o.spec?.type ?? 'ClusterIP',
      none(o.spec?.clusterIP),
      externalIP(o),
      servicePorts(o.spec ?? {}),
      age(o, now),
      none(sel),
    ];
  },
};

function formatEndpoints(subsets: JsonObject[]): string {
  const all: string[] = [];
  for (const s of subsets) {
    const ports = (s.ports ?? []) as JsonObject[];
    for (const a of (s.addresses ?? []) as JsonObject[]) {
      if (ports.length === 0) all.push(a.ip);
      for (const p of ports) all.push(`${a.ip}:${p.port}`);
    }
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const ENDPOINTS: Printer = {
  columns: [NAME, col('Endpoints', 'Endpoints of the service.'), AGE],
  row: (o, now) => [o.metadata.name, formatEndpoints(o.subsets ?? []), age(o, now)],
};

const ENDPOINTSLICE: Printer = {
  columns: [
    NAME,
    col('AddressType', 'The IP protocol for this slice'),
    col('Ports', 'The ports for this slice'),
    col('Endpoints', 'The endpoints for this slice'),
    AGE,
  ],
  row(o, now) {
    const ports = ((o.ports ?? []) as JsonObject[]).map((p) => p.port).join(',');
    const addrs = ((o.endpoints ?? []) as JsonObject[]).flatMap((e) => e.addresses ?? []) as string[];
    const ep =
      addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
    // kubectl's listWithMoreString: an empty list prints as <unset>
    return [o.metadata.name, o.addressType ?? '', ports || '<unset>', ep || '<unset>', age(o, now)];
  },
};

const INGRESS: Printer = {
  columns: [
    NAME,
    col('Class', 'The name of the IngressClass resource that should be used.'),
    col('Hosts', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'Ports of TLS configurations that open'),
    AGE,
  ],
  row(o, now) {
    const hosts = ((o.spec?.rules ?? []) as JsonObject[]).map((r) => r.host ?? '*');
    const addr = ((o.status?.loadBalancer?.ingress ?? []) as JsonObject[])
      .map((i) => i.ip ?? i.hostname)
      .join(',');
    return [
      o.metadata.name,
      none(o.spec?.ingressClassName),
      hosts.length ? hosts.join(',') : '*',
      addr,
      (o.spec?.tls ?? []).length ? '80, 443' : '80',
      age(o, now),
    ];
  },
};

// ---- cluster objects -----------------------------------------------------------------------------------------------

const NODE: Printer = {
  columns: [
    NAME,
    col('Status', 'The status of the node'),
    col('Roles', 'The roles of the node'),
    AGE,
    col('Version', 'Kubelet Version reported by the node.'),
    col(
      'Internal-IP',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    col(
      'External-IP',
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
      1,
    ),
    col(
      'OS-Image',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      1,
    ),
    col(
      'Kernel-Version',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      1,
    ),
    col(
      'Container-Runtime',
      'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      1,
    ),
  ],
  row(o, now) {
    const conds = (o.status?.conditions ?? []) as JsonObject[];
    const ready = conds.find((c) => c.type === 'Ready');
    const status = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
    if (o.spec?.unschedulable) status.push('SchedulingDisabled');
    const roles = Object.keys(o.metadata.labels ?? {})
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length))
      .sort();
    const addr = (t: string) =>
      none(
        ((o.status?.addresses ?? []) as JsonObject[]).find((a) => a.type === t)?.address as
          | string
          | undefined,
      );
    const info = o.status?.nodeInfo ?? {};
    return [
      o.metadata.name,
      status.join(','),
      roles.length ? roles.join(',') : '<none>',
      age(o, now),
      info.kubeletVersion ?? '',
      addr('InternalIP'),
      addr('ExternalIP'),
      info.osImage ?? '',
      info.kernelVersion ?? '',
      info.containerRuntimeVersion ?? '',
    ];
  },
};

const NAMESPACE: Printer = {
  columns: [NAME, col('Status', 'The status of the namespace'), AGE],
  row: (o, now) => [o.metadata.name, o.status?.phase ?? 'Active', age(o, now)],
};

const CONFIGMAP: Printer = {
  columns: [NAME, col('Data', 'Data contains the configuration data.', 0, 'integer'), AGE],
  row: (o, now) => [
    o.metadata.name,
    Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length,
    age(o, now),
  ],
};

const SECRET: Printer = {
  columns: [
    NAME,
    col('Type', 'The type of the secret'),
    col('Data', 'The number of data items in the secret', 0, 'integer'),
    AGE,
  ],
  row: (o, now) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(o.data ?? {}).length, age(o, now)],
};

const SERVICEACCOUNT: Printer = {
  columns: [
    NAME,
    col(
      'Secrets',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      0,
      'integer',
    ),
    AGE,
  ],
  row: (o, now) => [o.metadata.name, (o.secrets ?? []).length, age(o, now)],
};

const EVENT: Printer = {
  columns: [
    col('Last Seen', 'The last time this event was recorded'),
    col('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col(
      'Reason',
      'This should be a short, machine understandable string that gives the reason for this event being generated.',
    ),
    col('Object', 'The object that this event is about.'),
    col('Subobject', 'The subobject (field path) that this event is about.', 1),
    col('Source', 'The component reporting this event.', 1),
    col('Message', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'The first time this event was recorded', 1),
    col('Count', 'The number of times this event has occurred.', 1, 'integer'),
    { ...NAME, priority: 1 },
  ],
  row(o, now) {
    const io = o.involvedObject ?? {};
    const last = o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp;
    const first = o.firstTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp;
    const count = o.count ?? 1;
    const lastSeen =
      count > 1 ? `${since(last, now)} (x${count} over ${since(first, now)})` : since(last, now);
    const source = o.source?.component
      ? `${o.source.component}${o.source.host ? `, ${o.source.host}` : ''}`
      : (o.reportingComponent ?? '');
    return [
      lastSeen,
      o.type ?? '',
      o.reason ?? '',
      `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
      io.fieldPath ?? '',
      source,
      String(o.message ?? '').trim(),
      since(first, now),
      count,
      o.metadata.name,
    ];
  },
};

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = {
    ReadWriteOnce: 'RWO',
    ReadOnlyMany: 'ROX',
    ReadWriteMany: 'RWX',
    ReadWriteOncePod: 'RWOP',
  };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

const PVC: Printer = {
  columns: [
    NAME,
    col('Status', 'Phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'VolumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'Capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'AccessModes contains the actual access modes the volume backing the PVC has.'),
    col('StorageClass', 'StorageClassName is the name of the StorageClass required by the claim.'),
    col(
      'VolumeAttributesClass',
      'VolumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim.',
    ),
    AGE,
    col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', 1),
  ],
  row(o, now) {
    const bound = o.status?.phase === 'Bound';
    return [
      o.metadata.name,
      o.status?.phase ?? 'Pending',
      o.spec?.volumeName ?? '',
      bound ? (o.status?.capacity?.storage ?? '') : '',
      bound ? accessModes(o.status?.accessModes) : '',
      o.spec?.storageClassName ?? '<unset>',
      none(o.spec?.volumeAttributesClassName),
      age(o, now),
      o.spec?.volumeMode ?? 'Filesystem',
    ];
  },
};

const PV: Printer = {
  columns: [
    NAME,
    col('Capacity', "capacity is the description of the persistent volume's resources and capacity."),
    col('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    col(
      'Reclaim Policy',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    ),
    col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col(
      'Claim',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    ),
    col(
      'StorageClass',
      'storageClassName is the name of StorageClass to which this persistent volume belongs.',
    ),
    col('VolumeAttributesClass', 'Name of VolumeAttributesClass to which this persistent volume belongs.'),
    col(
      'Reason',
      'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
    ),
    AGE,
    col(
      'VolumeMode',
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
      1,
    ),
  ],
  row(o, now) {
    const ref = o.spec?.claimRef;
    return [
      o.metadata.name,
      o.spec?.capacity?.storage ?? '',
      accessModes(o.spec?.accessModes),
      o.spec?.persistentVolumeReclaimPolicy ?? 'Retain',
      o.status?.phase ?? 'Available',
      ref ? `${ref.namespace}/${ref.name}` : '',
      o.spec?.storageClassName ?? '',
      none(o.spec?.volumeAttributesClassName),
      o.status?.reason ?? '',
      age(o, now),
      o.spec?.volumeMode ?? 'Filesystem',
    ];
  },
};

const STORAGECLASS: Printer = {
  columns: [
    NAME,
    col('Provisioner', 'provisioner indicates the type of the provisioner.'),
    col(
      'ReclaimPolicy',
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
    ),
    col(
      'VolumeBindingMode',
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
    ),
    col(
      'AllowVolumeExpansion',
      'allowVolumeExpansion shows whether the storage class allow volume expand.',
      0,
      'boolean',
    ),
    AGE,
  ],
  row(o, now) {
    const isDefault = o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true';
    return [
      isDefault ? `${o.metadata.name} (default)` : o.metadata.name,
      o.provisioner ?? '',
      o.reclaimPolicy ?? 'Delete',
      o.volumeBindingMode ?? 'Immediate',
      o.allowVolumeExpansion ?? false,
      age(o, now),
    ];
  },
};

const CREATED_AT: Printer = {
  columns: [NAME, col('Created At', AGE_DESC, 0, 'date')],
  row: (o) => [o.metadata.name, o.metadata?.creationTimestamp ?? ''],
};

const ROLEBINDING: Printer = {
  columns: [
    NAME,
    col('Role', 'Role'),
    AGE,
    col('Users', 'Users in the roleBinding', 1),
    col('Groups', 'Groups in the roleBinding', 1),
    col('ServiceAccounts', 'ServiceAccounts in the roleBinding', 1),
  ],
  row(o, now) {
    const subs = (o.subjects ?? []) as JsonObject[];
    const of = (k: string) =>
      subs
        .filter((s) => s.kind === k)
        .map((s) => (k === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
        .join(', ');
    return [
      o.metadata.name,
      `${o.roleRef?.kind}/${o.roleRef?.name}`,
      age(o, now),
      of('User'),
      of('Group'),
      of('ServiceAccount'),
    ];
  },
};

const NAME_AGE: Printer = { columns: [NAME, AGE], row: (o, now) => [o.metadata.name, age(o, now)] };

const PRINTERS: Record<string, Printer> = {
  '/Pod': POD,
  '/Service': SERVICE,
  '/Endpoints': ENDPOINTS,
  '/Node': NODE,
  '/Namespace': NAMESPACE,
  '/ConfigMap': CONFIGMAP,
  '/Secret': SECRET,
  '/ServiceAccount': SERVICEACCOUNT,
  '/Event': EVENT,
  '/PersistentVolumeClaim': PVC,
  '/PersistentVolume': PV,
  'apps/Deployment': DEPLOYMENT,
  'apps/ReplicaSet': REPLICASET,
  'apps/StatefulSet': STATEFULSET,
  'apps/DaemonSet': DAEMONSET,
  'batch/Job': JOB,
  'batch/CronJob': CRONJOB,
  'networking.k8s.io/Ingress': INGRESS,
  'discovery.k8s.io/EndpointSlice': ENDPOINTSLICE,
  'storage.k8s.io/StorageClass': STORAGECLASS,
  'rbac.authorization.k8s.io/Role': CREATED_AT,
  'rbac.authorization.k8s.io/ClusterRole': CREATED_AT,
  'rbac.authorization.k8s.io/RoleBinding': ROLEBINDING,
  'rbac.authorization.k8s.io/ClusterRoleBinding': ROLEBINDING,
  'apiextensions.k8s.io/CustomResourceDefinition': CREATED_AT,
};

// ---- CRD printer columns: a small JSONPath evaluator ---------------------------------------------------------

function evalJsonPath(obj: unknown, path: string): unknown[] {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  const tokens: string[] = [];
  const re = /\.([A-Za-z0-9_\-/]+)|\[([^\]]*)\]/g;
  let m: RegExpExecArray | null = re.exec(p);
  while (m) {
    tokens.push(m[1] !== undefined ? `.${m[1]}` : `[${m[2]}]`);
    m = re.exec(p);
  }
  let cur: unknown[] = [obj];
  for (const t of tokens) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (t.startsWith('.')) {
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const x = (v as JsonObject)[t.slice(1)];
          if (x !== undefined) next.push(x);
        }
        continue;
      }
      const inner = t.slice(1, -1);
      if (!Array.isArray(v)) continue;
      if (inner === '*') next.push(...v);
      else if (/^-?\d+$/.test(inner)) {
        const i = Number(inner);
        const x = v[i < 0 ? v.length + i : i];
        if (x !== undefined) next.push(x);
      } else {
        const f = /^\?\(@\.([A-Za-z0-9_.]+)\s*==\s*["']([^"']*)["']\)$/.exec(inner);
        if (f) {
          for (const item of v) {
            const val = f[1]!
              .split('.')
              .reduce<unknown>(
                (a, k) => (a && typeof a === 'object' ? (a as JsonObject)[k] : undefined),
                item,
              );
            if (String(val) === f[2]) next.push(item);
          }
        }
      }
    }
    cur = next;
  }
  return cur;
}

function crdPrinter(columns: PrinterColumn[]): Printer {
  const defs = [
    NAME,
    ...columns.map((c) => col(c.name, c.description ?? '', c.priority ?? 0, c.type, c.format ?? '')),
  ];
  return {
    columns: defs,
    row(o, now) {
      const cells: Cell[] = [o.metadata.name];
      for (const c of columns) {
        const vals = evalJsonPath(o, c.jsonPath);
        if (vals.length === 0) {
          cells.push(null);
          continue;
        }
        if (c.type === 'date') {
          cells.push(since(String(vals[0]), now));
          continue;
        }
        if (vals.length === 1) {
          const v = vals[0];
          if (c.type === 'integer' || c.type === 'number') cells.push(typeof v === 'number' ? v : Number(v));
          else if (c.type === 'boolean') cells.push(typeof v === 'boolean' ? v : String(v) === 'true');
          else cells.push(typeof v === 'object' ? JSON.stringify(v) : String(v));
          continue;
        }
        cells.push(vals.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(','));
      }
      return cells;
    },
  };
}

export function printerFor(t: ResourceType): Printer {
  if (!t.builtin) {
    const cols = t.printerColumns?.length
      ? t.printerColumns
      : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: AGE_DESC }];
    return crdPrinter(cols);
  }
  return PRINTERS[`${t.group}/${t.kind}`] ?? (t.group === 'metrics.k8s.io' ? NAME_AGE : CREATED_AT);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableRow(
  t: ResourceType,
  o: JsonObject,
  include: IncludeObject,
  now: number,
  withKind: JsonObject,
): JsonObject {
  const row: JsonObject = { cells: printerFor(t).row(o, now) };
  if (include === 'Object') row.object = withKind;
  else if (include === 'Metadata') {
    const { managedFields: _mf, ...meta } = o.metadata ?? {};
    row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: meta };
  }
  return row;
}

export function toTable(
  t: ResourceType,
  items: JsonObject[],
  listMeta: JsonObject,
  include: IncludeObject,
  now: number,
  withKind: (o: JsonObject) => JsonObject,
  noHeaders = false,
): JsonObject {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: noHeaders ? null : printerFor(t).columns,
    rows: items.map((o) => tableRow(t, o, include, now, withKind(o))),
  };
}

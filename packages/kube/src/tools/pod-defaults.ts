import type { KubeObject } from '../client.js';

// What pod_get shows a model: the pod without the fields the API server fills in with their defaults
// (as kubectl-neat does). A default says nothing a model does not already assume, and a pod carries ~25 of
// them (~200 tokens); a value that differs from its default stays. structuredContent keeps the whole pod.

type Fields = Record<string, unknown>;

const POD_SPEC_DEFAULTS: Fields = {
  dnsPolicy: 'ClusterFirst',
  schedulerName: 'default-scheduler',
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  enableServiceLinks: true,
  preemptionPolicy: 'PreemptLowerPriority',
  priority: 0,
};

const CONTAINER_DEFAULTS: Fields = {
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

const PROBE_DEFAULTS: Fields = {
  successThreshold: 1,
  failureThreshold: 3,
  timeoutSeconds: 1,
  periodSeconds: 10,
};

/** The tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
const DEFAULT_TOLERATION_KEYS = new Set(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutEqual(fields: Fields, defaults: Fields): Fields {
  return Object.fromEntries(Object.entries(fields).filter(([key, value]) => defaults[key] !== value));
}

function isDefaultToleration(toleration: unknown): boolean {
  return (
    isObject(toleration) &&
    DEFAULT_TOLERATION_KEYS.has(String(toleration['key'])) &&
    toleration['operator'] === 'Exists' &&
    toleration['effect'] === 'NoExecute' &&
    toleration['tolerationSeconds'] === 300
  );
}

// A reference as kube-apiserver's image parser reads it: [registry[:port]/]path[:tag][@digest], the path in
// lower case. What does not parse there defaults to IfNotPresent whatever it says; this reads it not at all.
const IMAGE_REFERENCE =
  /^(?:[a-z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::(\w[\w.-]{0,127}))?(@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,})?$/;

/**
 * The pull policy the API server picks (SetDefaults_Container): Always when the tag is `latest`, which is
 * also the tag of a reference with neither tag nor digest; IfNotPresent otherwise. `nginx:latest@sha256:…`
 * keeps its tag, so it is Always. Undefined for a reference this does not read surely (upper case, `__`):
 * the policy is then shown.
 */
function defaultPullPolicy(image: unknown): string | undefined {
  if (typeof image !== 'string') return undefined;
  const match = IMAGE_REFERENCE.exec(image);
  if (!match) return undefined;
  const [, tag, digest] = match;
  if (tag === undefined && digest === undefined) return 'Always';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function probe(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out = withoutEqual(value, PROBE_DEFAULTS);
  if (isObject(out['httpGet']) && out['httpGet']['scheme'] === 'HTTP') {
    const { scheme: _, ...httpGet } = out['httpGet'];
    out['httpGet'] = httpGet;
  }
  return out;
}

function container(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out = withoutEqual(value, CONTAINER_DEFAULTS);
  const pullDefault = defaultPullPolicy(out['image']);
  if (pullDefault !== undefined && out['imagePullPolicy'] === pullDefault) delete out['imagePullPolicy'];
  if (Array.isArray(out['ports'])) {
    out['ports'] = out['ports'].map((port) =>
      isObject(port) && port['protocol'] === 'TCP' ? withoutEqual(port, { protocol: 'TCP' }) : port,
    );
  }
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (key in out) out[key] = probe(out[key]);
  }
  return out;
}

function spec(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out = withoutEqual(value, POD_SPEC_DEFAULTS);
  // the deprecated twin of serviceAccountName
  if (out['serviceAccount'] === out['serviceAccountName']) delete out['serviceAccount'];
  if (Array.isArray(out['tolerations'])) {
    const kept = out['tolerations'].filter((toleration) => !isDefaultToleration(toleration));
    if (kept.length) out['tolerations'] = kept;
    else delete out['tolerations'];
  }
  for (const key of ['containers', 'initContainers']) {
    if (Array.isArray(out[key])) out[key] = out[key].map(container);
  }
  return out;
}

/** `hostIPs: [{ip: <hostIP>}]` repeats `hostIP`; kept when it says more (dual stack). */
function status(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out = { ...value };
  for (const [list, single] of [
    ['hostIPs', 'hostIP'],
    ['podIPs', 'podIP'],
  ] as const) {
    const ips = out[list];
    if (Array.isArray(ips) && ips.length === 1 && isObject(ips[0]) && ips[0]['ip'] === out[single])
      delete out[list];
  }
  return out;
}

/** The pod less the fields at their API-server defaults (see above); everything else as it is. */
export function withoutPodDefaults(pod: KubeObject): KubeObject {
  const out: KubeObject = { ...pod };
  if ('spec' in out) out['spec'] = spec(out['spec']);
  if ('status' in out) out['status'] = status(out['status']);
  return out;
}

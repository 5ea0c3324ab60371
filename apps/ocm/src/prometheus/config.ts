/**
 * The operator's Prometheus options: where each cluster's Prometheus is (a URL template, Services to try
 * through the API server's service proxy), an extra CA, and how long a found endpoint is reused.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type OptionSpec } from '@cloudmcp/toolkit';
import * as z from 'zod';

/** A Service reached through the API server's service proxy. */
export interface ServiceRef {
  namespace: string;
  name: string;
  /** Port number or name. */
  port: string;
  /** The proxy connects to the Service over https (`https:NAME:PORT`). */
  https: boolean;
}

export interface PrometheusSettings {
  /** `https://…{cluster}…`: each managed cluster's Prometheus, when the operator knows where it is. */
  urlTemplate?: string;
  /** PEM added to the cluster's CA when verifying a URL or Route endpoint (`--prometheus-ca`). */
  extraCaPem?: string;
  /** Services tried through the API server's service proxy, in order. */
  services: ServiceRef[];
  /** How long a found endpoint is reused before it is looked up again. */
  cacheTtlMs: number;
  /** Timeout of one request to Prometheus (the server's `--request-timeout`). */
  timeoutMs: number;
}

/** The Services tried when `--prometheus-service` is not given: where the common installs put Prometheus. */
export const DEFAULT_SERVICES = [
  'monitoring/prometheus:9090',
  'openshift-monitoring/https:thanos-querier:9091',
  'monitoring/prometheus-k8s:9090',
  'monitoring/prometheus-operated:9090',
  'monitoring/kube-prometheus-stack-prometheus:9090',
  'prometheus/prometheus-server:80',
  'monitoring/prometheus-server:80',
];

const DNS_LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const SERVICE = new RegExp(
  `^(${DNS_LABEL})/(https:)?(${DNS_LABEL}):(\\d{1,5}|[a-z0-9](?:[-a-z0-9]{0,13}[a-z0-9])?)$`,
);

/** `NS/NAME:PORT` or `NS/https:NAME:PORT`; undefined when it is neither. */
export function parseServiceRef(text: string): ServiceRef | undefined {
  const match = SERVICE.exec(text.trim());
  if (!match) return undefined;
  const port = match[4]!;
  if (/^\d+$/.test(port) && (Number(port) < 1 || Number(port) > 65_535)) return undefined;
  return { namespace: match[1]!, https: match[2] !== undefined, name: match[3]!, port };
}

export function serviceText(ref: ServiceRef): string {
  return `${ref.namespace}/${ref.https ? 'https:' : ''}${ref.name}:${ref.port}`;
}

export const prometheusOptions: OptionSpec[] = [
  {
    name: 'prometheus-url',
    type: 'string',
    env: ['OCM_PROMETHEUS_URL'],
    valueName: 'TEMPLATE',
    description:
      "Each managed cluster's Prometheus HTTP API, `{cluster}` standing for its name (e.g. " +
      'https://thanos.apps.{cluster}.example.com); tried first, over TLS verified with the cluster CA ' +
      "(and --prometheus-ca), with the cluster's service-account token.",
  },
  {
    name: 'prometheus-ca',
    type: 'string',
    env: ['OCM_PROMETHEUS_CA'],
    valueName: 'FILE',
    description: 'PEM file of CA certificates trusted for Prometheus endpoints besides the cluster CA.',
  },
  {
    name: 'prometheus-service',
    type: 'list',
    env: ['OCM_PROMETHEUS_SERVICE'],
    valueName: 'NS/NAME:PORT,…',
    defaultText: DEFAULT_SERVICES.slice(0, 2).join(',') + ',…',
    description:
      "Services tried, in order, through the API server's service proxy (`NS/https:NAME:PORT` for an https " +
      'backend); needs `get services/proxy` (cluster_role edit or admin, not view).',
  },
  {
    name: 'prometheus-cache-ttl',
    type: 'number',
    env: ['OCM_PROMETHEUS_CACHE_TTL'],
    valueName: 'SECONDS',
    defaultText: '300',
    description:
      "How long a cluster's Prometheus endpoint, once found, is reused before it is looked up again.",
  },
];

export const prometheusConfigShape = {
  prometheusUrl: z
    .string()
    .superRefine((value, ctx) => {
      const problem = templateProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  prometheusCa: z.string().min(1).optional(),
  prometheusService: z
    .array(z.string().refine((value) => parseServiceRef(value) !== undefined, 'expected NS/NAME:PORT'))
    .min(1)
    .optional(),
  prometheusCacheTtl: z.number().min(0).max(86_400).default(300),
};
export type PrometheusConfig = z.output<z.ZodObject<typeof prometheusConfigShape>>;

/** Why a URL template is not usable, or undefined. */
function templateProblem(template: string): string | undefined {
  if (!template.includes('{cluster}')) {
    return "must contain {cluster}: one URL for every cluster would send each cluster's token to the same place";
  }
  let url: URL;
  try {
    url = new URL(template.replaceAll('{cluster}', 'cluster'));
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return 'must be an https URL (the token is sent there)';
  if (url.username || url.password || url.search || url.hash) {
    return 'must not contain credentials, a query or a fragment';
  }
  return undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Settings from the validated config; reads the CA file (a ConfigError names it). */
export function prometheusSettings(
  config: PrometheusConfig & { requestTimeout?: number },
): PrometheusSettings {
  const services = (config.prometheusService ?? DEFAULT_SERVICES).map((text) => parseServiceRef(text)!);
  return {
    ...(config.prometheusUrl !== undefined ? { urlTemplate: config.prometheusUrl.replace(/\/+$/, '') } : {}),
    ...(config.prometheusCa !== undefined ? { extraCaPem: readCa(config.prometheusCa) } : {}),
    services,
    cacheTtlMs: config.prometheusCacheTtl * 1000,
    timeoutMs: (config.requestTimeout ?? 30) * 1000,
  };
}

function readCa(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `--prometheus-ca ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
    );
  }
  const certificates = text.match(PEM_CERTIFICATE);
  if (!certificates) throw new ConfigError(`--prometheus-ca ${file}: no PEM certificate in it`);
  return `${certificates.join('\n')}\n`;
}

import type { KubeObject } from '../client.js';

// The fields of the network and namespace objects the tools read (their types are in client.ts's TYPES).

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  /** A number, or the name of a container port. */
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service extends KubeObject {
  spec?: {
    type?: string;
    selector?: Record<string, string>;
    clusterIP?: string;
    externalName?: string;
    ports?: ServicePort[];
  };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

export interface EndpointSlice extends KubeObject {
  /** null in a placeholder slice (a Service without endpoints). */
  endpoints?: Array<{
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    nodeName?: string;
    zone?: string;
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }> | null;
  /** null or empty: no port of the Service resolved for these endpoints. */
  ports?: Array<{ name?: string; port?: number; protocol?: string }> | null;
}

export interface EndpointAddress {
  ip: string;
  nodeName?: string;
  targetRef?: { kind?: string; name?: string };
}

export interface Endpoints extends KubeObject {
  subsets?: Array<{
    addresses?: EndpointAddress[];
    notReadyAddresses?: EndpointAddress[];
    ports?: Array<{ name?: string; port?: number; protocol?: string }>;
  }>;
}

export interface IngressBackend {
  service?: { name?: string; port?: { name?: string; number?: number } };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: Array<{ hosts?: string[]; secretName?: string }>;
    rules?: Array<{
      host?: string;
      http?: { paths?: Array<{ path?: string; pathType?: string; backend?: IngressBackend }> };
    }>;
  };
  status?: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } };
}

export interface IngressClass extends KubeObject {
  spec?: { controller?: string };
}

/** `app=web,tier=frontend`: a Service's selector as a label selector. */
export function selectorString(selector: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(selector ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

/** The IPs or host names a load balancer status lists. */
export function lbAddresses(
  status: { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } | undefined,
): string[] {
  return (status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter(Boolean);
}

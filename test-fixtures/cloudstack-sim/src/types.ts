import type { FaultKind as SimKitFaultKind } from 'sim-kit';
export interface SimOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** `realistic` (default): zones, catalog, networks and a dozen VMs; `empty`: no VMs, volumes, keys or IPs. */
  seed?: 'realistic' | 'empty';
  /**
   * How many of the zones AMS1, FRA1, SIN1 exist (default 3); with fewer, what the seed puts in a missing
   * zone goes to an existing one. Ids then differ from the three-zone catalog's.
   */
  zones?: number;
  /** Extra generated VMs (vm-0001 …) owned by admin, spread across zones and states. */
  vms?: number;
  /** queryAsyncJobResult polls that still answer "pending" before a job finishes; default 2. */
  jobSteps?: number;
  /** Session idle timeout in seconds (the `timeout` of loginresponse); default 1800. */
  sessionTimeoutSec?: number;
}

export type FaultKind = SimKitFaultKind;

export interface Fault {
  /** Command to match (case-insensitive); omitted = any request to /client/api. */
  command?: string;
  kind: FaultKind;
  /** latency: delay before the request is processed normally. */
  ms?: number;
  /** status: 429 answers a CloudStack error body; 5xx answers a proxy-style HTML page. */
  status?: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** How many matching requests this fault hits; default 1, Infinity allowed. */
  times?: number;
}

export interface LogEntry {
  at: number;
  method: string;
  command: string;
  /** Request parameters (query + form); secrets replaced by '***'. */
  params: Record<string, string>;
  /** How the request authenticated (or tried to): live session cookie, API signature, or neither. */
  auth: 'signature' | 'session' | 'none';
  /** HTTP status sent; 0 while pending and for reset/hang faults. */
  status: number;
  /**
   * The connection closed before the simulator answered: the client gave up on the request or cancelled it
   * (or the simulator closed while holding it).
   */
  clientClosed?: true;
}

export interface PasswordCredentials {
  username: string;
  password: string;
  domain: string;
}

export interface KeyedCredentials extends PasswordCredentials {
  apiKey: string;
  secretKey: string;
}

export interface SimCredentials {
  admin: KeyedCredentials;
  user: KeyedCredentials;
  keyless: PasswordCredentials;
}

export interface CloudStackSim {
  /** http://HOST:PORT/client/api */
  url: string;
  port: number;
  /** Current credentials; keys reflect registerUserKeys calls. */
  readonly credentials: SimCredentials;
  log: LogEntry[];
  addFault(fault: Fault): void;
  clearFaults(): void;
  setJobSteps(n: number): void;
  /** Finish every pending job now; their next poll reports the result. */
  releaseJobs(): void;
  close(): Promise<void>;
}

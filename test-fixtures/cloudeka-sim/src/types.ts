import type { FaultKind as SimKitFaultKind } from 'sim-kit';
export type Environment = 'production' | 'staging';

export interface CloudekaSimOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Which deployment this instance plays; only names and hosts in the data differ. Default production. */
  environment?: Environment;
  /** Lifetime of the JWTs the exchange issues (exp = iat + this); default 86400. */
  jwtTtlSeconds?: number;
  /** `realistic` (default): three projects full of resources; `empty`: the organization, users, one project. */
  seed?: 'realistic' | 'empty';
  /** Start with the token exchange answering the missing-table database error (see setAuthDbError). */
  authDbError?: boolean;
  /**
   * `server:` written into the vcluster kubeconfigs (e.g. a kube-sim URL); default
   * `https://<vcluster>.vcluster.ai.cloudeka.id` (staging: `…staging.ai.cloudeka.id`). Extension.
   */
  kubeServer?: string;
}

export interface RouteLogEntry {
  at: number;
  method: string;
  /** The path as requested, percent-decoded; secret path parameters (a console token) read `***`. */
  path: string;
  /** Template from endpoints.json, e.g. '/core/pods/:project_id/:namespace/:name'; '' when none matched. */
  route: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed JSON body (or the raw text when it was not JSON), secret-looking values replaced by '***'. */
  body: unknown;
  /** What the request presented: a valid bearer JWT, none, or a bearer that fails verification. */
  auth: 'jwt' | 'none' | 'invalid';
  /** HTTP status sent; 0 while pending and for reset/hang faults. */
  status: number;
}

export type FaultKind = SimKitFaultKind;

export interface Fault {
  /** Route template, optionally prefixed with 'METHOD ' ('POST /core/cldkctl/auth'); omitted = any request. */
  route?: string;
  kind: FaultKind;
  /** status: the HTTP status (default 503). Below 500: a JSON error body; 500 and up: an nginx HTML page. */
  status?: number;
  /** latency: delay before the request is processed normally (default 1000). */
  ms?: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** How many matching requests this fault hits; default 1, Infinity allowed. */
  times?: number;
}

/** Path coordinates of a namespaced object inside a project's vcluster. */
export interface KubeRef {
  project_id: string;
  namespace: string;
  name: string;
}

export interface SimIds {
  organizationId: string;
  /** The SuperAdmin's own (platform) organization; it has no projects. */
  platformOrganizationId: string;
  ownerUserId: string;
  memberUserId: string;
  superadminUserId: string;
  /** Invited into the organization, not yet verified (status `pending`): resend-invitation works on it. */
  pendingUserId: string;
  /** A registered user in no organization: what org_member_add adds. */
  outsideUserId: string;
  /** realistic: [ml-platform, web-services, sandbox]; empty: [ml-platform]. The member has [0] and [1]. */
  projectIds: string[];
  /** Organization roles: the built-in Owner and Member, and (realistic) the custom "Billing Viewer". */
  roleIds: { owner: string; member: string; billingViewer?: string };
  /** cldkctl token records (ids, not secrets) behind `tokens`. */
  tokenIds: { owner: string; member: string; superadmin: string; revoked: string; ownerScript: string };
  /** realistic: [gpu-worker-01 running, jupyter-host off (ml-platform), web-01 running, web-02 error (web-services)]. */
  vmIds: string[];
  /** realistic: [ml-models (ml-platform, private), web-images (web-services, public)]. */
  registryIds: string[];
  /** [ml-models/trainer, ml-models/inference-api, web-images/frontend]. */
  repositoryIds: string[];
  /** [trainer 1.4.0+latest, trainer 1.3.2, inference-api 2.0.1, frontend v3.2.0+latest]. */
  artifactIds: string[];
  /** Registry labels: [production, experimental] on ml-models, [release] on web-images. */
  labelIds: string[];
  /** Registry tag rules: [ml-models `1.*` on trainer, web-images `v*` (disabled)]. */
  tagIds: string[];
  /** Registry members: [owner on ml-models, member on ml-models, owner on web-images]. */
  registryMemberIds: string[];
  notebooks: Array<KubeRef & { id: string; status: 'running' | 'stopped' }>;
  /** The pod in CrashLoopBackOff (ml-platform, namespace default). */
  crashLoopPod?: KubeRef;
  invoiceIds: { sme: string[]; enterprise: string[] };
  vouchers: { available: string[]; claimed: string[]; expired: string[] };
  flavorTypeIds: string[];
  flavorIds: string[];
  imageIds: string[];
  notebookImageIds: string[];
}

export interface SimTokens {
  /** cldkctl_… of Rina Wijaya, Owner of the seeded organization. */
  owner: string;
  /** cldkctl_… of Budi Santoso, Member (cannot delete projects or manage members/roles/the org). */
  member: string;
  /** cldkctl_… of Cloudeka Support, role SuperAdmin: the only one allowed on /core/superadmin/*. */
  superadmin: string;
  /** A revoked token of the owner: the exchange answers 401. */
  revoked: string;
  /** A second active token of the owner ("deploy-script"): one a server running as `owner` does not use. */
  ownerScript: string;
}

export interface CloudekaSim {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:PORT */
  url: string;
  port: number;
  environment: Environment;
  /** Current cldkctl token values (read live: token_regenerate changes them). */
  readonly tokens: SimTokens;
  /** Account passwords for POST /core/user/login and change-password (fake, fixed). Extension. */
  passwords: { owner: string; member: string; superadmin: string };
  ids: SimIds;
  log: RouteLogEntry[];
  /** POST /core/cldkctl/auth requests answered so far (any status, fault answers included). */
  exchanges(): number;
  /** On: every exchange answers 400 with the plain-text body `pq: relation "cldkctl_tokens" does not exist`. */
  setAuthDbError(on: boolean): void;
  setJwtTtl(seconds: number): void;
  /** Every JWT issued so far now fails with 401 "Token is expired". */
  expireAllJwts(): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

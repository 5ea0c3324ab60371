import { defineTool, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { ENVIRONMENT_SOURCES, type EnvironmentSource, type Session } from '../client/client.js';
import { chooseEnvironment } from '../deps.js';
import { ENVIRONMENT_HEADER } from '../environment-header.js';
import type { Ctx } from '../tool-common.js';

const environmentInput = z.enum(['production', 'staging']);

const sessionOutput = {
  environment: z.enum(['production', 'staging']).describe('Where calls go now'),
  base_url: z.string().describe('API base URL of that environment'),
  user: z.string().optional().describe('Name of the user the cldkctl token belongs to'),
  user_id: z.string().optional(),
  email: z.string().optional(),
  role: z.string().optional().describe('Role in the organization (Owner, Member, Superadmin …)'),
  organization_id: z.string().optional(),
  jwt_expires_at: z.string().optional().describe('When the current JWT expires (ISO 8601); never the JWT'),
};

function sessionFields(session: Session) {
  const { expiresAt, ...rest } = session;
  return { ...rest, jwt_expires_at: new Date(expiresAt).toISOString() };
}

function who(out: { user?: string; role?: string; organization_id?: string }): string {
  const name = out.user ?? 'an unnamed user';
  const role = out.role ? ` (${out.role})` : '';
  const org = out.organization_id ? ` in organization ${out.organization_id}` : '';
  return `${name}${role}${org}`;
}

/**
 * Why `auth` takes no token (the seed's did): a credential from a tool call is a model's input, and a
 * prompt-injected model could switch the server to an attacker's account, where the user's next changes,
 * images and secrets would land. The token is the operator's, from the server's configuration only.
 */
const NO_TOKEN_FROM_CALLS =
  'auth takes no token: a token passed in a tool call could switch this server to another account (one a ' +
  'prompt injection chose), so the server only ever uses the cldkctl token of its own configuration. ' +
  'Nothing was sent.';

export const auth = defineTool({
  name: 'auth',
  title: 'Authenticate now',
  description:
    'Exchanges CLDKCTL_TOKEN for a fresh JWT now and says whose it is: user, role, organization, environment. Other tools authenticate on their own. No token is ever shown or taken from a call.',
  toolset: 'profile',
  input: z.object({
    environment: environmentInput.optional().describe('For this call only; default: the current one'),
    token: z
      .unknown()
      .optional()
      .describe('Refused: only the configured token is used. Never ask the user for one.'),
  }),
  output: z.object(sessionOutput),
  // Truly read-only: `environment` never outlives the call, on any transport (switch_environment switches).
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  render: {
    kind: 'text',
    text: (out) =>
      `Authenticated as ${who(out)} on ${out.environment} (${out.base_url}); the JWT expires ${out.jwt_expires_at}.`,
  },
  async handler(input, ctx: Ctx) {
    if (input.token !== undefined) {
      throw new ToolError(NO_TOKEN_FROM_CALLS, {
        next:
          'Call auth without `token` to check the configured one. To use another account, the user sets ' +
          'CLDKCTL_TOKEN in the MCP client’s configuration of this server (or its environment) and restarts ' +
          'it — never in the chat.',
      });
    }
    let { client } = ctx.deps;
    if (input.environment && input.environment !== client.environment) {
      client = client.withEnvironment(input.environment, 'argument');
    }
    return sessionFields(await client.session({ fresh: true }));
  },
});

/** How `status` says who chose the environment. */
const CHOSEN_BY: Record<EnvironmentSource, string> = {
  operator: "this server's --environment",
  header: `this request's ${ENVIRONMENT_HEADER} header`,
  switch: 'switch_environment',
  argument: "this call's `environment`",
};

export const status = defineTool({
  name: 'status',
  title: 'Connection status',
  description:
    'Who you are and where calls go: environment and who chose it (and any fallback to staging), base URL, user, role, organization, default project, JWT expiry.' +
    `client's ${ENVIRONMENT_HEADER} header, or switch_environment) and whether \`auto\` fell back to ` +
    'staging and why, base URL, user, role, organization, the default project, and when the JWT expires. ' +
    'Uses the cached JWT when there is one (no exchange); never shows the token or the JWT.',
  toolset: 'profile',
  input: z.object({}),
  output: z.object({
    ...sessionOutput,
    mode: z
      .enum(['production', 'staging', 'auto'])
      .describe('auto: production, falling back to staging; or that environment only'),
    environment_source: z
      .enum(ENVIRONMENT_SOURCES)
      .describe(
        `Who chose the environment: operator (--environment), header (this request's ${ENVIRONMENT_HEADER}), ` +
          'switch (switch_environment)',
      ),
    fell_back: z.boolean().describe('Whether auto fell back from production to staging in this server'),
    fallback_reason: z.string().optional().describe('Why it fell back'),
    fell_back_at: z.string().optional(),
    default_project_id: z.string().optional().describe('CLDKCTL_DEFAULT_PROJECT_ID'),
    authenticated: z.boolean().describe('Whether a JWT could be obtained'),
    auth_error: z.string().optional().describe('Why not, in Cloudeka’s words'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  render: {
    kind: 'text',
    text: (out) =>
      [
        out.authenticated
          ? `Signed in as ${who(out)}.`
          : `Not signed in: ${out.auth_error ?? 'the token exchange failed'}.`,
        `Environment: ${out.environment} (${out.base_url}), mode ${out.mode}, chosen by ` +
          CHOSEN_BY[out.environment_source] +
          (out.fell_back ? `; fell back from production: ${out.fallback_reason}.` : '.'),
        ...(out.jwt_expires_at ? [`JWT expires ${out.jwt_expires_at}.`] : []),
        ...(out.default_project_id ? [`Default project: ${out.default_project_id}.`] : []),
      ].join('\n'),
  },
  async handler(_input, ctx: Ctx) {
    const { client, defaultProjectId } = ctx.deps;
    let session: ReturnType<typeof sessionFields> | undefined;
    let authError: string | undefined;
    try {
      session = sessionFields(await client.session());
    } catch (error) {
      const e = error as { upstreamMessage?: string; status?: number; message?: string };
      authError = e.upstreamMessage ? `HTTP ${e.status}: ${e.upstreamMessage}` : String(e.message ?? error);
    }
    const fallback = client.fellBack;
    return {
      environment: client.environment,
      base_url: client.baseUrl,
      ...session,
      mode: client.environmentMode,
      environment_source: client.environmentSource,
      fell_back: Boolean(fallback),
      ...(fallback ? { fallback_reason: fallback.reason, fell_back_at: fallback.at } : {}),
      ...(defaultProjectId ? { default_project_id: defaultProjectId } : {}),
      authenticated: Boolean(session),
      ...(authError ? { auth_error: authError } : {}),
    };
  },
});

export const switchEnvironment = defineTool({
  name: 'switch_environment',
  title: 'Switch environment',
  description:
    'Points this session’s later calls at production or staging (no automatic fallback); nothing is written to disk.',
  toolset: 'profile',
  input: z.object({ environment: environmentInput.describe('Where later calls go') }),
  output: z.object({
    environment: z.enum(['production', 'staging']),
    previous: z.enum(['production', 'staging']),
    base_url: z.string(),
  }),
  // Offered over stdio only: there the process has one user, so the choice is theirs. Over HTTP users
  // choose with the X-Cloudeka-Environment header, per request.
  stdioOnly: true,
  // It changes this server's state (where later calls go), nothing in Cloudeka. Not read-only, so
  // --read-only drops it. That is right: --read-only is one rule for every server (only readOnlyHint
  // tools), and an annotation bent to stay in it would misdescribe the tool to every client. A read-only
  // user still picks the environment with --environment (or, over HTTP, the header).
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  render: {
    kind: 'text',
    text: (out) =>
      out.previous === out.environment
        ? `Already on ${out.environment} (${out.base_url}); automatic fallback is off.`
        : `Switched from ${out.previous} to ${out.environment} (${out.base_url}).`,
  },
  async handler(input, ctx: Ctx) {
    const previous = ctx.deps.client.environment;
    chooseEnvironment(ctx.deps, input.environment);
    return { environment: input.environment, previous, base_url: ctx.deps.client.baseUrl };
  },
});

export const sessionTools = [auth, status, switchEnvironment];

import { ANNOTATIONS, defineTool } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { isOcid } from '../oci/ocid.js';
import { type Ctx, compartmentOf } from './common.js';

const defaultsOutput = z.object({
  compartment: z.string().optional(),
  cluster: z.string().optional(),
});

export const defaultsGet = defineTool({
  name: 'defaults_get',
  title: 'Show defaults',
  description: 'The compartment and cluster that calls naming none use.',
  toolset: 'oci',
  input: z.object({}),
  output: defaultsOutput,
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(_input, ctx: Ctx) {
    return { ...ctx.deps.defaults };
  },
});

export const defaultsSet = defineTool({
  name: 'defaults_set',
  title: 'Set defaults',
  description:
    'Sets the compartment and cluster that later calls naming none use (checked against OCI first).',
  toolset: 'oci',
  input: z.object({
    compartment: z.string().optional().describe('Compartment OCID'),
    cluster: z.string().min(1).max(255).optional().describe('Cluster name (in the compartment) or OCID'),
  }),
  output: defaultsOutput,
  annotations: { ...ANNOTATIONS.change, openWorldHint: false },
  stdioOnly: true,
  render: { kind: 'object' },
  async handler(input, ctx: Ctx) {
    const { defaults, directory } = ctx.deps;
    const compartment = input.compartment !== undefined ? compartmentOf(input, ctx) : defaults.compartment;
    let cluster = defaults.cluster;
    if (input.cluster !== undefined) {
      const ref = await directory.resolve(input.cluster, compartment, ctx.signal);
      cluster = isOcid(input.cluster) ? ref.id : ref.name;
    }
    if (compartment !== undefined) defaults.compartment = compartment;
    if (cluster !== undefined) defaults.cluster = cluster;
    return { ...defaults };
  },
});

export const authRefresh = defineTool({
  name: 'auth_refresh',
  title: 'Re-read OCI credentials',
  description:
    'Re-reads the OCI key and session token (after `oci session refresh`) and drops cached cluster tokens.',
  toolset: 'oci',
  input: z.object({}),
  output: z.looseObject({ mode: z.string() }),
  annotations: { ...ANNOTATIONS.change, openWorldHint: false },
  render: { kind: 'object' },
  async handler(_input, ctx: Ctx) {
    const description = await ctx.deps.auth.refresh();
    ctx.deps.tokens.invalidate();
    return { ...description };
  },
});

export const environmentGet = defineTool({
  name: 'environment_get',
  title: 'Show the environment',
  description: "The server's OCI identity and settings, redacted.",
  toolset: 'oci',
  input: z.object({}),
  output: z.looseObject({ auth: z.looseObject({ mode: z.string() }) }),
  annotations: ANNOTATIONS.read,
  render: { kind: 'object' },
  async handler(_input, ctx: Ctx) {
    const { auth, settings, defaults, tokens } = ctx.deps;
    return {
      auth: { ...(await auth.describe()) },
      oci_endpoint: settings.ociEndpoint ?? 'regional',
      cluster_endpoint: settings.endpoint,
      in_cluster: settings.inCluster,
      defaults: { ...defaults },
      cluster_tokens_signed: tokens.presigns,
      transport: ctx.transport,
    };
  },
});

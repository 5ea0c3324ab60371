import { ANNOTATIONS } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { TYPES } from '../client.js';
import { namespaceIn, nonEmpty, withSuggestions } from './common.js';
import { kubeTool } from './define.js';
import type { Service } from './kinds.js';
import { serviceSummary, serviceText, summarize, traceService } from './service-view.js';
import { trafficTrace } from './traffic.js';

export const endpointList = kubeTool({
  name: 'endpoint_list',
  title: 'Service endpoints',
  description: "A Service's ports and backends, and why none takes traffic if so.",
  toolset: 'diagnostics',
  input: z.object({ name: nonEmpty().describe('Service name'), namespace: namespaceIn }),
  output: serviceSummary,
  annotations: ANNOTATIONS.read,
  render: { kind: 'text', text: serviceText },
  async handler(input, { client, signal }) {
    const namespace = input.namespace ?? client.defaultNamespace;
    const service = await withSuggestions(client, TYPES.services, input.name, namespace, signal, () =>
      client.get<Service>(TYPES.services, input.name, { namespace, signal }),
    );
    return summarize(await traceService(client, service, signal));
  },
});

export const networkTools = [endpointList, trafficTrace];

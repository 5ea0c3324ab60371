import { renderNetwork } from '../views.js';
import { keywordMatch, listParams, listResult, matches, nameMatch, P, refIs, visible } from './common.js';
import type { CommandDef } from './types.js';

export const networkCommands: CommandDef[] = [
  {
    name: 'listNetworks',
    description: 'Lists all available networks.',
    isList: true,
    related: ['deployVirtualMachine', 'associateIpAddress'],
    params: listParams(
      [
        P.projectid(),
        P.id('network', 'list networks by ID'),
        P.name('list networks by name'),
        P.zoneid('the zone ID of the network'),
        {
          name: 'type',
          type: 'string',
          description: 'the type of the network. Supported values are: isolated, l2, shared and all',
        },
        {
          name: 'canusefordeploy',
          type: 'boolean',
          description: 'list networks available for VM deployment',
        },
      ],
      true,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'network');
      const zone = p.ref('zoneid', 'zone');
      const type = p.str('type')?.toLowerCase();
      const networks = state.all('network').filter(
        (n) =>
          visible(ctx, n.accountId) &&
          matches(id, n) &&
          refIs(zone, n.zoneId) &&
          nameMatch(p, n.name) &&
          keywordMatch(p, n.name, n.displaytext) &&
          (type === undefined || type === 'all' || type === n.type.toLowerCase()) &&
          // Every simulated guest network can be deployed into.
          p.bool('canusefordeploy') !== false,
      );
      return listResult(ctx, networks, 'network', (n) => renderNetwork(state, n.id));
    },
  },
];

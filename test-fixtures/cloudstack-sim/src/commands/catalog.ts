import {
  renderDiskOffering,
  renderHost,
  renderNetworkOffering,
  renderOsType,
  renderServiceOffering,
  renderZone,
} from '../views.js';
import { keywordMatch, listParams, listResult, matches, nameMatch, P, refIs } from './common.js';
import type { CommandDef } from './types.js';

/** Read-only infrastructure and offering listings, the same for every caller. */
export const catalogCommands: CommandDef[] = [
  {
    name: 'listZones',
    description: 'Lists zones',
    isList: true,
    related: ['listHosts'],
    params: listParams(
      [
        P.id('zone', 'the ID of the zone'),
        P.name('the name of the zone'),
        {
          name: 'available',
          type: 'boolean',
          description: 'true to list only zones the caller can deploy in',
        },
        {
          name: 'networktype',
          type: 'string',
          description: 'the network type of the zone (Basic, Advanced)',
        },
      ],
      false,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'zone');
      const type = p.str('networktype');
      const zones = state
        .all('zone')
        .filter(
          (z) =>
            matches(id, z) &&
            nameMatch(p, z.name) &&
            keywordMatch(p, z.name, z.description) &&
            (type === undefined || type.toLowerCase() === 'advanced'),
        );
      return listResult(ctx, zones, 'zone', (z) => renderZone(state, z.id));
    },
  },
  {
    name: 'listOsTypes',
    description: 'Lists all supported OS types for this cloud.',
    isList: true,
    params: listParams(
      [
        P.id('ostype', 'list by Os type Id'),
        { name: 'oscategoryid', type: 'string', description: 'list by Os Category id' },
        { name: 'description', type: 'string', description: 'list os by description' },
      ],
      false,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'ostype');
      const category = p.str('oscategoryid');
      const description = p.str('description')?.toLowerCase();
      const types = state
        .all('ostype')
        .filter(
          (o) =>
            matches(id, o) &&
            (category === undefined || o.categoryId === category) &&
            (description === undefined || o.description.toLowerCase().includes(description)) &&
            keywordMatch(p, o.description),
        );
      return listResult(ctx, types, 'ostype', (o) => renderOsType(state, o.id));
    },
  },
  {
    name: 'listServiceOfferings',
    description: 'Lists all available service offerings.',
    isList: true,
    related: ['deployVirtualMachine'],
    params: listParams(
      [
        P.id('serviceoffering', 'ID of the service offering'),
        P.name('name of the service offering'),
        P.zoneid('id of zone the service offering is available in'),
        { name: 'issystem', type: 'boolean', description: 'is this a system vm offering' },
      ],
      false,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'serviceoffering');
      const offerings = p.bool('issystem')
        ? []
        : state
            .all('serviceoffering')
            .filter((o) => matches(id, o) && nameMatch(p, o.name) && keywordMatch(p, o.name, o.displaytext));
      return listResult(ctx, offerings, 'serviceoffering', (o) => renderServiceOffering(state, o.id));
    },
  },
  {
    name: 'listDiskOfferings',
    description: 'Lists all available disk offerings.',
    isList: true,
    related: ['createVolume'],
    params: listParams(
      [
        P.id('diskoffering', 'ID of the disk offering'),
        P.name('name of the disk offering'),
        P.zoneid('id of zone disk offering is associated with'),
      ],
      false,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'diskoffering');
      const offerings = state
        .all('diskoffering')
        .filter((o) => matches(id, o) && nameMatch(p, o.name) && keywordMatch(p, o.name, o.displaytext));
      return listResult(ctx, offerings, 'diskoffering', (o) => renderDiskOffering(state, o.id));
    },
  },
  {
    name: 'listNetworkOfferings',
    description: 'Lists all available network offerings.',
    isList: true,
    params: listParams(
      [
        P.id('networkoffering', 'list network offerings by ID'),
        P.name('list network offerings by name'),
        {
          name: 'guestiptype',
          type: 'string',
          description: 'list network offerings by guest type: shared or isolated',
        },
        { name: 'state', type: 'string', description: 'list network offerings by state' },
        P.zoneid('list network offerings available for network creation in specific zone'),
      ],
      false,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'networkoffering');
      const guest = p.str('guestiptype')?.toLowerCase();
      const st = p.str('state')?.toLowerCase();
      const offerings = state
        .all('networkoffering')
        .filter(
          (o) =>
            matches(id, o) &&
            nameMatch(p, o.name) &&
            keywordMatch(p, o.name, o.displaytext) &&
            (guest === undefined || o.guestiptype.toLowerCase() === guest) &&
            (st === undefined || st === 'enabled'),
        );
      return listResult(ctx, offerings, 'networkoffering', (o) => renderNetworkOffering(state, o.id));
    },
  },
  {
    name: 'listHosts',
    description: 'Lists hosts.',
    isList: true,
    adminOnly: true,
    related: ['listZones'],
    params: listParams(
      [
        P.id('host', 'the id of the host'),
        P.name('the name of the host'),
        P.zoneid('the Zone ID for the host'),
        { name: 'type', type: 'string', description: 'the host type' },
        { name: 'state', type: 'string', description: 'the state of the host' },
      ],
      false,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'host');
      const zone = p.ref('zoneid', 'zone');
      const type = p.str('type')?.toLowerCase();
      const st = p.str('state')?.toLowerCase();
      const hosts = state
        .all('host')
        .filter(
          (h) =>
            matches(id, h) &&
            refIs(zone, h.zoneId) &&
            nameMatch(p, h.name) &&
            keywordMatch(p, h.name) &&
            (type === undefined || type === 'routing') &&
            (st === undefined || st === 'up'),
        );
      return listResult(ctx, hosts, 'host', (h) => renderHost(state, h.id));
    },
  },
];

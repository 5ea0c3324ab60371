import { randomUUID } from 'node:crypto';
import { ApiError, Code, internalError, invalidValue } from '../errors.js';
import type { Network } from '../state.js';
import { csDate } from '../time.js';
import { renderPublicIp } from '../views.js';
import { jobOn } from './async.js';
import {
  busyText,
  ensureAccess,
  found,
  keywordMatch,
  listParams,
  listResult,
  matches,
  P,
  refIs,
  visible,
} from './common.js';
import type { CommandDef, Ctx } from './types.js';

const CMD = 'org.apache.cloudstack.api.command.user.address';
const LAST_HOST = 254;

/** The requested network, else the caller's isolated network in the requested zone. */
function targetNetwork(ctx: Ctx): Network {
  const { p, state, caller } = ctx;
  const netRef = p.ref('networkid', 'network');
  if (netRef) {
    const net = found(netRef, `Unable to find network by id ${p.str('networkid')}`);
    if (net.accountId) ensureAccess(ctx, net.accountId, net.id);
    if (net.type !== 'Isolated') {
      throw invalidValue(`Can't associate a public ip address with network ${net.id} of type ${net.type}`);
    }
    return net;
  }
  const zoneRef = p.ref('zoneid', 'zone');
  if (!zoneRef) {
    throw invalidValue(
      'Unable to figure out zone to assign ip to. Please specify either zoneId, or networkId, or vpcId in the call',
    );
  }
  const zone = found(zoneRef, `Unable to find zone by id=${p.str('zoneid')}`);
  const net = state
    .all('network')
    .find((n) => n.zoneId === zone.id && n.type === 'Isolated' && n.accountId === caller.account.id);
  if (!net)
    throw invalidValue(
      `Unable to find a default network for account ${caller.account.name} in zone ${zone.id}`,
    );
  return net;
}

export const addressCommands: CommandDef[] = [
  {
    name: 'listPublicIpAddresses',
    description: 'Lists all public IP addresses',
    isList: true,
    related: ['associateIpAddress', 'disassociateIpAddress'],
    params: listParams(
      [
        P.projectid(),
        P.id('ipaddress', 'lists IP address by ID'),
        { name: 'ipaddress', type: 'string', description: 'lists the specified IP address' },
        P.zoneid('lists all public IP addresses by zone ID'),
        {
          name: 'associatednetworkid',
          type: 'uuid',
          entity: 'network',
          description: 'lists all public IP addresses associated to the network specified',
        },
        { name: 'issourcenat', type: 'boolean', description: 'list only source NAT IP addresses' },
        { name: 'isstaticnat', type: 'boolean', description: 'list only static NAT IP addresses' },
        {
          name: 'allocatedonly',
          type: 'boolean',
          description: 'limits search results to allocated public IP addresses',
        },
      ],
      true,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'ipaddress');
      const zone = p.ref('zoneid', 'zone');
      const network = p.ref('associatednetworkid', 'network');
      const address = p.str('ipaddress');
      const sourceNat = p.bool('issourcenat');
      const staticNat = p.bool('isstaticnat');
      const ips = state
        .all('ipaddress')
        .filter(
          (ip) =>
            visible(ctx, ip.accountId) &&
            matches(id, ip) &&
            refIs(zone, ip.zoneId) &&
            refIs(network, ip.networkId) &&
            (address === undefined || ip.ipaddress === address) &&
            (sourceNat === undefined || ip.issourcenat === sourceNat) &&
            (staticNat === undefined || (ip.vmId !== undefined) === staticNat) &&
            keywordMatch(p, ip.ipaddress),
        );
      return listResult(ctx, ips, 'publicipaddress', (ip) => renderPublicIp(state, ip.id));
    },
  },
  {
    name: 'associateIpAddress',
    description: 'Acquires and associates a public IP to an account.',
    isAsync: true,
    related: ['disassociateIpAddress', 'listPublicIpAddresses'],
    params: [
      P.zoneid('the ID of the availability zone you want to acquire an public IP address from'),
      {
        name: 'networkid',
        type: 'uuid',
        entity: 'network',
        description: 'The network this IP address should be associated to.',
      },
    ],
    handle(ctx) {
      const { state, caller } = ctx;
      const net = targetNetwork(ctx);
      const zone = state.get('zone', net.zoneId)!;
      if (zone.nextPublicHost > LAST_HOST) {
        throw new ApiError(533, `Insufficient address capacity in zone ${zone.name}`, 4320);
      }
      const ip = state.add('ipaddress', {
        id: randomUUID(),
        ipaddress: state.allocatePublicIp(zone),
        zoneId: zone.id,
        accountId: caller.account.id,
        networkId: net.id,
        issourcenat: false,
        state: 'Allocating',
        allocated: csDate(Date.now()),
      });
      return {
        id: ip.id,
        ...jobOn(ctx, ip, {
          cmd: `${CMD}.AssociateIPAddrCmd`,
          instanceType: 'IpAddress',
          finish: () => {
            ip.state = 'Allocated';
            return { ipaddress: renderPublicIp(state, ip.id) };
          },
        }),
      };
    },
  },
  {
    name: 'disassociateIpAddress',
    description: 'Disassociates an IP address from the account.',
    isAsync: true,
    related: ['associateIpAddress'],
    params: [P.id('ipaddress', 'the ID of the public IP address to disassociate', true)],
    handle(ctx) {
      const { p, state } = ctx;
      const ip = found(p.ref('id', 'ipaddress'), `Unable to find ip address by id=${p.str('id')}`);
      ensureAccess(ctx, ip.accountId, ip.id);
      // An IllegalArgumentException in the job: reported with the generic 530.
      const failure = ip.jobId
        ? internalError(busyText('ip address', ip.id))
        : ip.issourcenat
          ? new ApiError(
              Code.INTERNAL_ERROR,
              'ip address is used for source nat purposes and can not be disassociated.',
            )
          : undefined;
      return jobOn(ctx, ip, {
        cmd: `${CMD}.DisassociateIPAddrCmd`,
        instanceType: 'IpAddress',
        failure,
        during: 'Releasing',
        finish: () => {
          state.remove('ipaddress', ip.id);
          return { success: true };
        },
      });
    },
  },
];

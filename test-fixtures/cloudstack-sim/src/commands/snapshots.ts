import { randomUUID } from 'node:crypto';
import { internalError, invalidValue } from '../errors.js';
import { csDate } from '../time.js';
import { renderSnapshot } from '../views.js';
import { jobOn } from './async.js';
import {
  busyText,
  ensureAccess,
  found,
  keywordMatch,
  listParams,
  listResult,
  matches,
  nameMatch,
  P,
  refIs,
  visible,
} from './common.js';
import type { CommandDef } from './types.js';

const CMD = 'org.apache.cloudstack.api.command.user.snapshot';

export const snapshotCommands: CommandDef[] = [
  {
    name: 'listSnapshots',
    description: 'Lists all available snapshots for the account.',
    isList: true,
    related: ['createSnapshot', 'deleteSnapshot', 'createVolume'],
    params: listParams(
      [
        P.projectid(),
        P.id('snapshot', 'lists snapshot by snapshot ID'),
        P.name('lists snapshot by snapshot name'),
        P.zoneid('list snapshots by zone id'),
        { name: 'volumeid', type: 'uuid', entity: 'volume', description: 'the ID of the disk volume' },
        { name: 'snapshottype', type: 'string', description: 'valid values are MANUAL or RECURRING.' },
      ],
      true,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'snapshot');
      const zone = p.ref('zoneid', 'zone');
      const volume = p.ref('volumeid', 'volume');
      const type = p.str('snapshottype')?.toUpperCase();
      const snaps = state
        .all('snapshot')
        .filter(
          (s) =>
            visible(ctx, s.accountId) &&
            matches(id, s) &&
            refIs(zone, s.zoneId) &&
            refIs(volume, s.volumeId) &&
            (type === undefined || type === 'MANUAL') &&
            nameMatch(p, s.name) &&
            keywordMatch(p, s.name),
        );
      return listResult(ctx, snaps, 'snapshot', (s) => renderSnapshot(state, s.id));
    },
  },
  {
    name: 'createSnapshot',
    description: 'Creates an instant snapshot of a volume.',
    isAsync: true,
    related: ['listSnapshots'],
    params: [
      {
        name: 'volumeid',
        type: 'uuid',
        entity: 'volume',
        required: true,
        description: 'The ID of the disk volume',
      },
      P.name('the name of the snapshot'),
    ],
    handle(ctx) {
      const { p, state } = ctx;
      const vol = found(p.ref('volumeid', 'volume'), `Unable to find volume with ID: ${p.str('volumeid')}`);
      ensureAccess(ctx, vol.accountId, vol.id);
      if (vol.state !== 'Ready') {
        throw invalidValue(
          `VolumeId: ${vol.id} is not in Ready state but ${vol.state}. Cannot take snapshot.`,
        );
      }
      const now = Date.now();
      const vmName = vol.vmId ? state.get('vm', vol.vmId)?.name : undefined;
      const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
      const snap = state.add('snapshot', {
        id: randomUUID(),
        name: p.str('name') ?? `${vmName ?? 'detached'}_${vol.name}_${stamp}`,
        volumeId: vol.id,
        volumeName: vol.name,
        volumeType: vol.type,
        accountId: vol.accountId,
        zoneId: vol.zoneId,
        state: 'Creating',
        created: csDate(now),
        size: vol.size,
      });
      return {
        id: snap.id,
        ...jobOn(ctx, snap, {
          cmd: `${CMD}.CreateSnapshotCmd`,
          instanceType: 'Snapshot',
          finish: () => {
            snap.state = 'BackedUp';
            return { snapshot: renderSnapshot(state, snap.id) };
          },
        }),
      };
    },
  },
  {
    name: 'deleteSnapshot',
    description: 'Deletes a snapshot of a disk volume.',
    isAsync: true,
    related: ['listSnapshots'],
    params: [P.id('snapshot', 'The ID of the snapshot', true)],
    handle(ctx) {
      const { p, state } = ctx;
      const snap = found(p.ref('id', 'snapshot'), `Unable to find snapshot with id ${p.str('id')}`);
      ensureAccess(ctx, snap.accountId, snap.id);
      return jobOn(ctx, snap, {
        cmd: `${CMD}.DeleteSnapshotCmd`,
        instanceType: 'Snapshot',
        failure: snap.jobId ? internalError(busyText('snapshot', snap.id)) : undefined,
        during: 'Destroying',
        finish: () => {
          state.remove('snapshot', snap.id);
          return { success: true };
        },
      });
    },
  },
];

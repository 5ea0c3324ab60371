import { ApiError, Code, CsCode, internalError, invalidValue, permissionDenied } from '../errors.js';
import { pickHost, rootVolume } from '../provision.js';
import type { State, Vm } from '../state.js';
import { renderVm } from '../views.js';
import { type EntityJob, jobOn } from './async.js';
import { busyText, ensureAccess, found, P } from './common.js';
import type { CommandDef, Ctx } from './types.js';

const CMD = 'org.apache.cloudstack.api.command';

/** What a VM operation does, decided from the VM's state when it is submitted. */
type Plan = Partial<Pick<EntityJob<Vm>, 'failure' | 'during' | 'finish'>>;

function targetVm(ctx: Ctx): Vm {
  const vm = found(ctx.p.ref('id', 'vm'), `Unable to find virtual machine with id ${ctx.p.str('id')}`);
  ensureAccess(ctx, vm.accountId, vm.id);
  return vm;
}

/** Async VM operation: validation now, transitional state while pending, final state on the finishing poll. */
function vmJob(ctx: Ctx, cmd: string, plan: (vm: Vm) => Plan): Record<string, unknown> {
  const vm = targetVm(ctx);
  const { failure, during, finish } = vm.jobId ? { failure: internalError(busyText('VM', vm.id)) } : plan(vm);
  return jobOn(ctx, vm, {
    cmd: `${CMD}.${cmd}`,
    instanceType: 'VirtualMachine',
    failure,
    during,
    finish: finish!,
  });
}

const result = (s: State) => (vm: Vm) => ({ virtualmachine: renderVm(s, vm) });

/** Expunge: the VM and its root disk disappear, data disks and static NAT IPs are released. */
function expunge(s: State, vm: Vm): void {
  for (const v of s.all('volume')) {
    if (v.vmId !== vm.id) continue;
    if (v.type === 'ROOT') {
      s.remove('volume', v.id);
    } else {
      v.vmId = undefined;
      v.deviceId = undefined;
      v.attached = undefined;
    }
  }
  for (const ip of s.all('ipaddress')) if (ip.vmId === vm.id) ip.vmId = undefined;
  s.remove('vm', vm.id);
}

const idParam = P.id('vm', 'The ID of the virtual machine', true);

export const vmLifecycleCommands: CommandDef[] = [
  {
    name: 'startVirtualMachine',
    description: 'Starts a virtual machine.',
    isAsync: true,
    related: ['stopVirtualMachine', 'rebootVirtualMachine'],
    params: [idParam],
    handle(ctx) {
      return vmJob(ctx, 'user.vm.StartVMCmd', (vm) => {
        if (vm.state === 'Running') {
          return {
            failure: invalidValue(`The virtual machine ${vm.id} (${vm.displayname}) is already running`),
          };
        }
        if (vm.state !== 'Stopped') {
          return {
            failure: internalError(`VM ${vm.instanceName} is in ${vm.state} state and cannot be started`),
          };
        }
        return {
          during: 'Starting',
          finish: (v) => {
            v.state = 'Running';
            v.hostId = pickHost(ctx.state, v.zoneId, v.name.length);
            for (const vol of ctx.state.all('volume')) if (vol.vmId === v.id) vol.state = 'Ready';
            return result(ctx.state)(v);
          },
        };
      });
    },
  },
  {
    name: 'stopVirtualMachine',
    description: 'Stops a virtual machine.',
    isAsync: true,
    related: ['startVirtualMachine'],
    params: [
      idParam,
      {
        name: 'forced',
        type: 'boolean',
        description:
          'Force stop the VM (vm is marked as Stopped even when command fails to be send to the backend, otherwise a force poweroff is attempted). The caller knows the VM is stopped.',
      },
    ],
    handle(ctx) {
      const stop = (v: Vm) => {
        v.state = 'Stopped';
        v.hostId = undefined;
        return result(ctx.state)(v);
      };
      return vmJob(ctx, 'user.vm.StopVMCmd', (vm) => {
        // VirtualMachineManager.advanceStop: stopping a stopped VM is a no-op success.
        if (vm.state === 'Stopped') return { finish: result(ctx.state) };
        if (vm.state === 'Running') return { during: 'Stopping', finish: stop };
        if (vm.state === 'Error' && ctx.p.bool('forced')) return { finish: stop };
        return {
          failure: internalError(`VM ${vm.instanceName} is in ${vm.state} state and cannot be stopped`),
        };
      });
    },
  },
  {
    name: 'rebootVirtualMachine',
    description: 'Reboots a virtual machine.',
    isAsync: true,
    related: ['startVirtualMachine'],
    params: [idParam],
    handle(ctx) {
      return vmJob(ctx, 'user.vm.RebootVMCmd', (vm) =>
        vm.state === 'Running'
          ? { finish: result(ctx.state) }
          : { failure: new ApiError(Code.INTERNAL_ERROR, 'Failed to reboot vm instance', CsCode.SERVER_API) },
      );
    },
  },
  {
    name: 'destroyVirtualMachine',
    description: 'Destroys a virtual machine. Once destroyed, only the administrator can recover it.',
    isAsync: true,
    related: ['recoverVirtualMachine', 'expungeVirtualMachine'],
    params: [
      idParam,
      {
        name: 'expunge',
        type: 'boolean',
        description: 'If true is passed, the vm is expunged immediately. False by default.',
      },
    ],
    handle(ctx) {
      const wantExpunge = ctx.p.bool('expunge') ?? false;
      return vmJob(ctx, 'user.vm.DestroyVMCmd', (vm) => {
        // A PermissionDeniedException inside the job: reported as a failed job with code 530.
        if (wantExpunge && !ctx.caller.isAdmin) {
          return {
            failure: new ApiError(Code.INTERNAL_ERROR, 'Parameter expunge can be passed by Admin only'),
          };
        }
        if (wantExpunge) {
          return {
            during: 'Expunging',
            finish: (v) => {
              const out = result(ctx.state)(v);
              expunge(ctx.state, v);
              return out;
            },
          };
        }
        if (vm.state === 'Destroyed' || vm.state === 'Expunging') return { finish: result(ctx.state) };
        return {
          ...(vm.state === 'Running' ? { during: 'Stopping' as const } : {}),
          finish: (v) => {
            v.state = 'Destroyed';
            v.hostId = undefined;
            const root = rootVolume(ctx.state, v.id);
            if (root) root.state = 'Destroy';
            return result(ctx.state)(v);
          },
        };
      });
    },
  },
  {
    name: 'expungeVirtualMachine',
    description: 'Expunge a virtual machine. Once expunged, it cannot be recoverd.',
    isAsync: true,
    adminOnly: true,
    related: ['destroyVirtualMachine'],
    params: [idParam],
    handle(ctx) {
      return vmJob(ctx, 'admin.vm.ExpungeVMCmd', (vm) =>
        vm.state === 'Destroyed' || vm.state === 'Expunging'
          ? {
              during: 'Expunging',
              finish: (v) => {
                expunge(ctx.state, v);
                return { success: true };
              },
            }
          : { failure: invalidValue('Please specify a VM that is in Destroyed or Expunging state') },
      );
    },
  },
  {
    name: 'recoverVirtualMachine',
    description: 'Recovers a virtual machine.',
    related: ['destroyVirtualMachine'],
    params: [idParam],
    handle(ctx) {
      const vm = targetVm(ctx);
      if (!ctx.caller.isAdmin) {
        throw permissionDenied(
          'Recovering a vm can only be done by an Admin. Or when the allow.user.expunge.recover.vm key is set.',
        );
      }
      if (vm.state !== 'Destroyed') throw invalidValue(`Vm with id ${vm.id} is not in the right state`);
      vm.state = 'Stopped';
      const root = rootVolume(ctx.state, vm.id);
      if (root) root.state = 'Ready';
      return result(ctx.state)(vm);
    },
  },
];

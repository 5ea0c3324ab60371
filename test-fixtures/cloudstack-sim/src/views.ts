import type { Job } from './jobs.js';
import { ROOT_DOMAIN, type State, type Template, type Vm, type Volume } from './state.js';
import { csDate } from './time.js';
import { limitFields, resourceCounts } from './usage.js';
import { CLOUDSTACK_VERSION } from './xml.js';

type Obj = Record<string, unknown>;

/** ApiResponseHelper.populateOwner: a project's resources name the project, not its project account. */
function owner(s: State, accountId: string): Obj {
  const project = s.projectOf(accountId);
  return {
    ...(project ? { projectid: project.id, project: project.name } : { account: s.account(accountId).name }),
    domainid: s.domainId,
    domain: ROOT_DOMAIN.name,
  };
}

function pending(jobId: string | undefined): Obj {
  return jobId ? { jobid: jobId, jobstatus: 0 } : {};
}

export function renderZone(s: State, id: string): Obj {
  const z = s.get('zone', id)!;
  return {
    id: z.id,
    name: z.name,
    description: z.description,
    dns1: z.dns1,
    internaldns1: z.internaldns1,
    guestcidraddress: z.guestcidraddress,
    networktype: 'Advanced',
    securitygroupsenabled: false,
    allocationstate: 'Enabled',
    zonetoken: z.zonetoken,
    dhcpprovider: 'VirtualRouter',
    localstorageenabled: false,
    tags: [],
  };
}

export function renderHost(s: State, id: string): Obj {
  const h = s.get('host', id)!;
  const z = s.get('zone', h.zoneId)!;
  return {
    id: h.id,
    name: h.name,
    state: 'Up',
    type: 'Routing',
    ipaddress: h.ipaddress,
    zoneid: z.id,
    zonename: z.name,
    podid: z.podId,
    podname: z.podName,
    clusterid: z.clusterId,
    clustername: z.clusterName,
    clustertype: 'CloudManaged',
    hypervisor: 'KVM',
    cpusockets: 2,
    cpunumber: h.cpunumber,
    cpuspeed: h.cpuspeed,
    memorytotal: h.memorytotal,
    created: h.created,
    resourcestate: 'Enabled',
    version: CLOUDSTACK_VERSION,
  };
}

export function renderOsType(s: State, id: string): Obj {
  const o = s.get('ostype', id)!;
  return {
    id: o.id,
    oscategoryid: o.categoryId,
    oscategoryname: o.categoryName,
    description: o.description,
    isuserdefined: false,
  };
}

/** listTemplates answers one record per (template, zone). */
export function renderTemplate(s: State, t: Template, zoneId: string): Obj {
  const os = s.get('ostype', t.osTypeId)!;
  const zone = s.get('zone', zoneId)!;
  return {
    id: t.id,
    name: t.name,
    displaytext: t.displaytext,
    ispublic: t.ispublic,
    created: t.created,
    isready: true,
    passwordenabled: t.passwordenabled,
    format: t.format,
    isfeatured: t.isfeatured,
    crossZones: false,
    ostypeid: os.id,
    ostypename: os.description,
    ...owner(s, t.accountId),
    zoneid: zoneId,
    zonename: zone.name,
    status: 'Download Complete',
    size: t.size,
    physicalsize: Math.round(t.size / 3),
    templatetype: t.templatetype,
    hypervisor: 'KVM',
    isextractable: false,
    details: {},
    // One entry per secondary storage holding the template (a list of maps, so absent from XML).
    downloaddetails: [
      { downloadState: 'DOWNLOADED', datastore: `sec-${zone.name.toLowerCase()}-01`, downloadPercent: '100' },
    ],
    bits: 64,
    sshkeyenabled: false,
    isdynamicallyscalable: false,
    directdownload: false,
    deployasis: false,
    requireshvm: true,
    tags: [],
  };
}

export function renderServiceOffering(s: State, id: string): Obj {
  const o = s.get('serviceoffering', id)!;
  return {
    id: o.id,
    name: o.name,
    displaytext: o.displaytext,
    cpunumber: o.cpunumber,
    cpuspeed: o.cpuspeed,
    memory: o.memory,
    created: o.created,
    storagetype: 'shared',
    provisioningtype: 'thin',
    offerha: o.offerha,
    limitcpuuse: false,
    isvolatile: false,
    issystem: false,
    defaultuse: false,
    iscustomized: false,
    cacheMode: 'none',
    rootdisksize: 0,
    dynamicscalingenabled: true,
  };
}

export function renderDiskOffering(s: State, id: string): Obj {
  const o = s.get('diskoffering', id)!;
  return {
    id: o.id,
    name: o.name,
    displaytext: o.displaytext,
    disksize: o.disksize,
    created: o.created,
    iscustomized: o.iscustomized,
    storagetype: 'shared',
    provisioningtype: 'thin',
    cacheMode: 'none',
    displayoffering: true,
  };
}

export function renderNetworkOffering(s: State, id: string): Obj {
  const o = s.get('networkoffering', id)!;
  return {
    id: o.id,
    name: o.name,
    displaytext: o.displaytext,
    traffictype: 'Guest',
    isdefault: o.isdefault,
    specifyvlan: o.specifyvlan,
    conservemode: true,
    specifyipranges: o.specifyvlan,
    availability: o.guestiptype === 'Isolated' ? 'Required' : 'Optional',
    networkrate: 200,
    state: 'Enabled',
    guestiptype: o.guestiptype,
    service: o.services.map((name) => ({ name, provider: [{ name: 'VirtualRouter' }] })),
    forvpc: false,
    ispersistent: false,
    egressdefaultpolicy: true,
    created: o.created,
  };
}

export function renderNetwork(s: State, id: string): Obj {
  const n = s.get('network', id)!;
  const z = s.get('zone', n.zoneId)!;
  const o = s.get('networkoffering', n.offeringId)!;
  return {
    id: n.id,
    name: n.name,
    displaytext: n.displaytext,
    broadcastdomaintype: 'Vlan',
    traffictype: 'Guest',
    gateway: n.gateway,
    netmask: n.netmask,
    cidr: n.cidr,
    zoneid: z.id,
    zonename: z.name,
    networkofferingid: o.id,
    networkofferingname: o.name,
    networkofferingdisplaytext: o.displaytext,
    networkofferingconservemode: true,
    networkofferingavailability: n.type === 'Isolated' ? 'Required' : 'Optional',
    issystem: false,
    state: n.state,
    related: n.id,
    broadcasturi: `vlan://${n.vlan}`,
    dns1: z.dns1,
    type: n.type,
    vlan: String(n.vlan),
    acltype: n.accountId ? 'Account' : 'Domain',
    ...(n.accountId ? owner(s, n.accountId) : { domainid: s.domainId, domain: ROOT_DOMAIN.name }),
    service: o.services.map((name) => ({ name })),
    networkdomain: n.networkdomain,
    physicalnetworkid: z.physicalNetworkId,
    restartrequired: false,
    specifyipranges: n.type === 'Shared',
    canusefordeploy: true,
    ispersistent: false,
    tags: [],
    details: {},
    displaynetwork: true,
    strechedl2subnet: false,
    redundantrouter: false,
    created: n.created,
  };
}

export function renderVm(s: State, vm: Vm, extra: Obj = {}): Obj {
  const user = s.get('user', vm.userId)!;
  const zone = s.get('zone', vm.zoneId)!;
  const tpl = s.get('template', vm.templateId)!;
  const so = s.get('serviceoffering', vm.serviceOfferingId)!;
  const os = s.get('ostype', tpl.osTypeId)!;
  const host = vm.hostId ? s.get('host', vm.hostId) : undefined;
  const running = vm.state === 'Running';
  return {
    id: vm.id,
    name: vm.name,
    displayname: vm.displayname,
    ...owner(s, vm.accountId),
    userid: user.id,
    username: user.username,
    created: vm.created,
    state: vm.state,
    haenable: so.offerha,
    zoneid: zone.id,
    zonename: zone.name,
    ...(host ? { hostid: host.id, hostname: host.name } : {}),
    templateid: tpl.id,
    templatename: tpl.name,
    templatedisplaytext: tpl.displaytext,
    passwordenabled: tpl.passwordenabled,
    serviceofferingid: so.id,
    serviceofferingname: so.name,
    cpunumber: so.cpunumber,
    cpuspeed: so.cpuspeed,
    memory: so.memory,
    ...(running ? { cpuused: `${(vm.name.length % 7) + 1}.${vm.name.length % 10}5%` } : {}),
    networkkbsread: running ? 1015808 : 0,
    networkkbswrite: running ? 507904 : 0,
    diskkbsread: 0,
    diskkbswrite: 0,
    diskioread: 0,
    diskiowrite: 0,
    memorykbs: 0,
    memoryintfreekbs: 0,
    memorytargetkbs: 0,
    guestosid: os.id,
    rootdeviceid: 0,
    rootdevicetype: 'ROOT',
    securitygroup: [],
    nic: vm.nics.map((nic) => {
      const net = s.get('network', nic.networkId)!;
      return {
        id: nic.id,
        networkid: net.id,
        networkname: net.name,
        netmask: net.netmask,
        gateway: net.gateway,
        ipaddress: nic.ipaddress,
        isolationuri: `vlan://${net.vlan}`,
        broadcasturi: `vlan://${net.vlan}`,
        traffictype: 'Guest',
        type: net.type,
        isdefault: nic.isdefault,
        macaddress: nic.macaddress,
        secondaryip: [],
        extradhcpoption: [],
      };
    }),
    hypervisor: 'KVM',
    instancename: vm.instanceName,
    details: {},
    affinitygroup: [],
    displayvm: true,
    isdynamicallyscalable: false,
    ostypeid: os.id,
    osdisplayname: os.description,
    ...(vm.keypair ? { keypairs: vm.keypair } : {}),
    bootmode: 'legacy',
    boottype: 'Bios',
    tags: [],
    ...pending(vm.jobId),
    ...extra,
  };
}

export function renderVolume(s: State, v: Volume): Obj {
  const zone = s.get('zone', v.zoneId)!;
  const vm = v.vmId ? s.get('vm', v.vmId) : undefined;
  const dof = v.diskOfferingId ? s.get('diskoffering', v.diskOfferingId) : undefined;
  const so = v.serviceOfferingId ? s.get('serviceoffering', v.serviceOfferingId) : undefined;
  return {
    id: v.id,
    name: v.name,
    zoneid: zone.id,
    zonename: zone.name,
    type: v.type,
    ...(vm
      ? {
          deviceid: v.deviceId,
          virtualmachineid: vm.id,
          vmname: vm.name,
          vmdisplayname: vm.displayname,
          vmstate: vm.state,
        }
      : {}),
    provisioningtype: 'thin',
    size: v.size,
    created: v.created,
    ...(v.attached ? { attached: v.attached } : {}),
    state: v.state,
    ...owner(s, v.accountId),
    storagetype: 'shared',
    hypervisor: v.state === 'Allocated' ? 'None' : 'KVM',
    ...(dof
      ? { diskofferingid: dof.id, diskofferingname: dof.name, diskofferingdisplaytext: dof.displaytext }
      : {}),
    ...(so
      ? { serviceofferingid: so.id, serviceofferingname: so.name, serviceofferingdisplaytext: so.displaytext }
      : {}),
    ...(v.templateId ? { templateid: v.templateId } : {}),
    storage: v.state === 'Allocated' ? 'none' : `ps-${zone.name}-01`,
    destroyed: v.state === 'Destroy',
    isextractable: false,
    ...pending(v.jobId),
  };
}

export function renderSnapshot(s: State, id: string): Obj {
  const snap = s.get('snapshot', id)!;
  const zone = s.get('zone', snap.zoneId)!;
  return {
    id: snap.id,
    ...owner(s, snap.accountId),
    snapshottype: 'MANUAL',
    volumeid: snap.volumeId,
    volumename: snap.volumeName,
    volumetype: snap.volumeType,
    created: snap.created,
    name: snap.name,
    intervaltype: 'MANUAL',
    state: snap.state,
    physicalsize: Math.round(snap.size / 4),
    virtualsize: snap.size,
    zoneid: zone.id,
    zonename: zone.name,
    revertable: false,
    tags: [],
  };
}

export function renderPublicIp(s: State, id: string): Obj {
  const ip = s.get('ipaddress', id)!;
  const zone = s.get('zone', ip.zoneId)!;
  const net = s.get('network', ip.networkId)!;
  const vm = ip.vmId ? s.get('vm', ip.vmId) : undefined;
  return {
    id: ip.id,
    ipaddress: ip.ipaddress,
    allocated: ip.allocated,
    zoneid: zone.id,
    zonename: zone.name,
    issourcenat: ip.issourcenat,
    ...owner(s, ip.accountId),
    forvirtualnetwork: true,
    vlanid: zone.vlanId,
    vlanname: 'vlan://untagged',
    isstaticnat: vm !== undefined,
    issystem: false,
    ...(vm
      ? { virtualmachineid: vm.id, virtualmachinename: vm.name, virtualmachinedisplayname: vm.displayname }
      : {}),
    associatednetworkid: net.id,
    associatednetworkname: net.name,
    networkid: zone.publicNetworkId,
    physicalnetworkid: zone.physicalNetworkId,
    state: ip.state,
    tags: [],
    isportable: false,
    fordisplay: true,
  };
}

export function renderUser(s: State, id: string): Obj {
  const u = s.get('user', id)!;
  const a = s.account(u.accountId);
  return {
    id: u.id,
    username: u.username,
    firstname: u.firstname,
    lastname: u.lastname,
    email: u.email,
    created: u.created,
    state: u.state,
    account: a.name,
    accounttype: a.type,
    usersource: 'native',
    roleid: a.roleId,
    roletype: a.roleType,
    rolename: a.roleName,
    domainid: s.domainId,
    domain: ROOT_DOMAIN.name,
    timezone: u.timezone,
    ...(u.apiKey ? { apikey: u.apiKey } : {}),
    accountid: a.id,
    iscallerchilddomain: false,
    isdefault: a.name === 'admin',
  };
}

/** ProjectJoinDaoImpl: the owners, the project account, then its limits and counts (see usage.ts). */
export function renderProject(s: State, id: string): Obj {
  const p = s.get('project', id)!;
  const vms = s.all('vm').filter((vm) => vm.accountId === p.accountId);
  return {
    id: p.id,
    name: p.name,
    displaytext: p.displaytext,
    domainid: s.domainId,
    domain: ROOT_DOMAIN.name,
    owner: [{ account: s.account(p.ownerAccountId).name }],
    projectaccountname: s.account(p.accountId).name,
    state: p.state,
    created: p.created,
    tags: [],
    ...limitFields(p.limits, resourceCounts(s, p.accountId)),
    vmstopped: vms.filter((vm) => vm.state === 'Stopped').length,
    vmrunning: vms.filter((vm) => vm.state === 'Running').length,
  };
}

/** queryAsyncJobResult / listAsyncJobs record; `jobresult` only once the job has finished. */
export function renderJob(job: Job): Obj {
  return {
    accountid: job.accountId,
    userid: job.userId,
    cmd: job.cmd,
    jobstatus: job.status,
    jobprocstatus: 0,
    jobresultcode: job.resultCode,
    ...(job.status === 0 ? {} : { jobresulttype: 'object', jobresult: job.result }),
    created: csDate(job.created),
    ...(job.completed ? { completed: csDate(job.completed) } : {}),
    jobid: job.id,
    ...(job.instanceType ? { jobinstancetype: job.instanceType, jobinstanceid: job.instanceId } : {}),
  };
}

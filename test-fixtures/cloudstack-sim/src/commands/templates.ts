import { invalidValue, paramError } from '../errors.js';
import type { Template } from '../state.js';
import { renderTemplate } from '../views.js';
import { keywordMatch, listParams, listResult, matches, nameMatch, P, refIs } from './common.js';
import type { CommandDef, Ctx } from './types.js';

const FILTERS = ['featured', 'self', 'selfexecutable', 'sharedexecutable', 'executable', 'community', 'all'];

function passes(ctx: Ctx, filter: string, t: Template): boolean {
  const own = t.accountId === ctx.caller.account.id;
  switch (filter) {
    case 'featured':
      return t.ispublic && t.isfeatured;
    case 'self':
    case 'selfexecutable':
      return own;
    case 'executable':
      return t.ispublic || own;
    case 'community':
      return t.ispublic && !t.isfeatured;
    case 'all':
      return true;
    default:
      return false;
  }
}

export const templateCommands: CommandDef[] = [
  {
    name: 'listTemplates',
    description: 'List all public, private, and privileged templates.',
    isList: true,
    related: ['deployVirtualMachine', 'listOsTypes'],
    params: listParams(
      [
        {
          name: 'hypervisor',
          type: 'string',
          description: 'the hypervisor for which to restrict the search',
        },
        P.id('template', 'the template ID'),
        P.name('the template name'),
        {
          name: 'templatefilter',
          type: 'string',
          required: true,
          description:
            'possible values are "featured", "self", "selfexecutable","sharedexecutable","executable", and "community". * featured : templates that have been marked as featured and public. * self : templates that have been registered or created by the calling user. * selfexecutable : same as self, but only returns templates that can be used to deploy a new VM. * sharedexecutable : templates ready to be deployed that have been granted to the calling user by another user. * executable : templates that are owned by the calling user, or public templates, that can be used to deploy a VM. * community : templates that have been marked as public but not featured. * all : all templates (only usable by admins).',
        },
        P.zoneid('list templates by zoneId'),
      ],
      true,
    ),
    handle(ctx) {
      const { p, state, caller } = ctx;
      const filter = p.str('templatefilter')!;
      // TemplateFilter.valueOf: an IllegalArgumentException, reported verbatim as a 431.
      if (!FILTERS.includes(filter)) {
        throw paramError(
          `No enum constant com.cloud.template.VirtualMachineTemplate.TemplateFilter.${filter}`,
        );
      }
      if (filter === 'all' && !caller.isAdmin) {
        throw invalidValue('Filter all can be specified by admin only');
      }
      const id = p.ref('id', 'template');
      const zone = p.ref('zoneid', 'zone');
      const hypervisor = p.str('hypervisor');
      const rows: { t: Template; zoneId: string }[] = [];
      for (const t of state.all('template')) {
        if (
          !passes(ctx, filter, t) ||
          !matches(id, t) ||
          !nameMatch(p, t.name) ||
          !keywordMatch(p, t.name, t.displaytext) ||
          (hypervisor !== undefined && hypervisor.toLowerCase() !== 'kvm')
        ) {
          continue;
        }
        for (const zoneId of t.zoneIds) if (refIs(zone, zoneId)) rows.push({ t, zoneId });
      }
      return listResult(ctx, rows, 'template', (r) => renderTemplate(state, r.t, r.zoneId));
    },
  },
];

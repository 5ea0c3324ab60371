import { renderProject } from '../views.js';
import { keywordMatch, listParams, listResult, matches, nameMatch, P } from './common.js';
import type { CommandDef } from './types.js';

export const projectCommands: CommandDef[] = [
  {
    name: 'listProjects',
    description: 'Lists projects and provides detailed information for listed projects',
    isList: true,
    since: '3.0.0',
    params: listParams(
      [
        P.id('project', 'list projects by project ID'),
        P.name('list projects by name'),
        { name: 'state', type: 'string', description: 'list projects by state' },
      ],
      true,
    ),
    handle(ctx) {
      const { p, state, caller } = ctx;
      const id = p.ref('id', 'project');
      const st = p.str('state')?.toLowerCase();
      // Projects are visible to their members; admins see all of them with listall=true.
      const projects = state
        .all('project')
        .filter(
          (pr) =>
            ((caller.isAdmin && p.bool('listall')) || pr.memberAccountIds.includes(caller.account.id)) &&
            matches(id, pr) &&
            nameMatch(p, pr.name) &&
            keywordMatch(p, pr.name, pr.displaytext) &&
            (st === undefined || pr.state.toLowerCase() === st),
        );
      return listResult(ctx, projects, 'project', (pr) => renderProject(state, pr.id));
    },
  },
];

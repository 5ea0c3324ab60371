import { invalidValue, permissionDenied } from '../errors.js';
import { renderJob } from '../views.js';
import { found, keywordMatch, listParams, listResult, visible } from './common.js';
import type { CommandDef } from './types.js';

export const jobCommands: CommandDef[] = [
  {
    name: 'queryAsyncJobResult',
    description: 'Retrieves the current status of asynchronous job.',
    related: ['listAsyncJobs'],
    params: [
      {
        name: 'jobid',
        type: 'uuid',
        entity: 'job',
        required: true,
        description: 'the ID of the asynchronous job',
      },
    ],
    handle(ctx) {
      const job = found(ctx.p.ref('jobid', 'job'), `Unable to find a job by id ${ctx.p.str('jobid')}`);
      if (!ctx.caller.isAdmin && job.accountId !== ctx.caller.account.id) {
        throw permissionDenied(`Permission denied, invalid job ownership, job id: ${job.id}`);
      }
      ctx.jobs.poll(job);
      return renderJob(job);
    },
  },
  {
    name: 'listAsyncJobs',
    description: 'Lists all pending asynchronous jobs for the account.',
    isList: true,
    related: ['queryAsyncJobResult'],
    params: listParams(
      [{ name: 'startdate', type: 'string', description: 'The start date of the async job' }],
      true,
    ),
    handle(ctx) {
      // QueryManagerImpl.searchForAsyncJobsInternal: created >= startdate; keyword matches the command class.
      const since = startDate(ctx.p.str('startdate'));
      const jobs = ctx.state
        .all('job')
        .filter((j) => visible(ctx, j.accountId) && j.created >= since && keywordMatch(ctx.p, j.cmd));
      return listResult(ctx, jobs, 'asyncjobs', renderJob);
    },
  },
];

/** `startdate` as CloudStack accepts it (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss, UTC here); absent: the epoch. */
function startDate(value: string | undefined): number {
  if (value === undefined) return 0;
  const ms = Date.parse(`${value.trim().replace(' ', 'T')}${value.includes(':') ? '' : 'T00:00:00'}Z`);
  if (Number.isNaN(ms)) throw invalidValue(`Unable to parse date ${value} for parameter startdate`);
  return ms;
}

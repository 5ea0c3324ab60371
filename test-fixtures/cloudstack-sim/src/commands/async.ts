import type { ApiError } from '../errors.js';
import type { Ctx } from './types.js';

/** An entity async jobs work on: while one is pending, `jobId` names it and other operations on it are busy. */
interface JobTarget {
  id: string;
  state: string;
  jobId?: string;
}

export interface EntityJob<E extends JobTarget> {
  /** Java command class, shown as the job's `cmd`. */
  cmd: string;
  /** Shown as `jobinstancetype`; the entity's id is `jobinstanceid`. */
  instanceType: string;
  /** Why the job will fail, decided when it is submitted: the entity is left alone and the job fails with it. */
  failure?: ApiError;
  /** The entity's state while the job is pending. */
  during?: E['state'];
  /** Applies the final state change on the finishing poll and returns the job result; may throw to fail. */
  finish: (entity: E) => Record<string, unknown>;
}

/**
 * Submits an async job on one entity. CloudStack answers every async command with a job id at once and does the
 * work when the job runs, so the entity is marked (jobId, transitional state) until the job's finishing poll,
 * which fails it with `failure` or clears the mark and runs `finish`. Returns the `{ jobid }` the command answers.
 */
export function jobOn<E extends JobTarget>(ctx: Ctx, entity: E, job: EntityJob<E>): { jobid: string } {
  const { failure, during, finish } = job;
  const { id } = ctx.jobs.submit({
    cmd: job.cmd,
    accountId: ctx.caller.account.id,
    userId: ctx.caller.user.id,
    instanceType: job.instanceType,
    instanceId: entity.id,
    run: () => {
      // Before clearing the mark: a "busy" failure must leave the other job's jobId in place.
      if (failure) throw failure;
      entity.jobId = undefined;
      return finish(entity);
    },
  });
  if (!failure) {
    entity.jobId = id;
    if (during) entity.state = during;
  }
  return { jobid: id };
}

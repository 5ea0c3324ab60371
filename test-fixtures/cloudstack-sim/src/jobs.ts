import { randomUUID } from 'node:crypto';
import { ApiError, Code } from './errors.js';

export interface Job {
  id: string;
  /** Java command class, shown as `cmd`. */
  cmd: string;
  accountId: string;
  userId: string;
  instanceType?: string;
  instanceId?: string;
  created: number;
  completed?: number;
  polls: number;
  /** 0 pending, 1 succeeded, 2 failed. */
  status: 0 | 1 | 2;
  resultCode: number;
  result?: Record<string, unknown>;
  /** Applies the final state change and returns the job result; throws ApiError to fail the job. */
  run?: () => Record<string, unknown>;
}

export interface JobSpec {
  cmd: string;
  accountId: string;
  userId: string;
  instanceType?: string;
  instanceId?: string;
  run: () => Record<string, unknown>;
}

/**
 * Jobs advance only when polled: the first `steps` polls of queryAsyncJobResult answer "pending", the next one
 * finishes the job. That makes every intermediate state observable without timers.
 */
export class Jobs {
  constructor(
    private readonly jobs: Map<string, Job>,
    public steps: number,
  ) {}

  submit(spec: JobSpec): Job {
    const job: Job = { ...spec, id: randomUUID(), created: Date.now(), polls: 0, status: 0, resultCode: 0 };
    this.jobs.set(job.id, job);
    return job;
  }

  poll(job: Job): void {
    if (job.status !== 0) return;
    job.polls++;
    if (job.polls > this.steps) this.finish(job);
  }

  releaseAll(): void {
    for (const job of this.jobs.values()) if (job.status === 0) this.finish(job);
  }

  private finish(job: Job): void {
    const run = job.run!;
    job.run = undefined;
    job.completed = Date.now();
    try {
      job.result = run();
      job.status = 1;
    } catch (err) {
      // ApiAsyncJobDispatcher: the job's result code is the error's code; anything unexpected is a 530.
      const code = err instanceof ApiError ? err.errorcode : Code.INTERNAL_ERROR;
      job.status = 2;
      job.resultCode = code;
      job.result = { errorcode: code, errortext: (err as Error).message };
    }
  }
}

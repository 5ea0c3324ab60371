/**
 * Work requests that move on their own: ACCEPTED, then IN_PROGRESS, one phase per node launched or
 * terminated, then SUCCEEDED (or FAILED). Each phase lasts `stepMs`; with `Infinity` only `advanceAll()`
 * moves them, so a test can see every state.
 */
import { addKubeNode, removeKubeNode } from './kube-nodes.js';
import { newNode, nextPrivateIp } from './seed.js';
import type { NodePool, OciState, OkeCluster, WorkRequest } from './state.js';

type Step = () => void;

interface Running {
  steps: Step[];
  timer?: NodeJS.Timeout;
}

/** The compute limit a scale can hit, as OCI names it in the error (CONSTRUCTED message). */
function limitName(shape: string): string {
  return shape.includes('A1') ? 'standard-a1-core-count' : 'standard-e4-core-count';
}

export class WorkRequestEngine {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly state: OciState,
    private readonly stepMs: number,
    private readonly maxNodesPerPool: number,
  ) {}

  /** Accepts a node pool update whose target size is `size`; the pool is UPDATING until it ends. */
  updateNodePool(c: OkeCluster, p: NodePool, size: number): WorkRequest {
    const now = () => new Date().toISOString();
    const w: WorkRequest = {
      id: this.state.ocids.regional('clustersworkrequest'),
      operationType: 'NODEPOOL_UPDATE',
      status: 'ACCEPTED',
      compartmentId: p.compartmentId,
      clusterId: c.id,
      resources: [
        {
          actionType: 'IN_PROGRESS',
          entityType: 'nodepool',
          identifier: p.id,
          entityUri: `/nodePools/${p.id}`,
        },
        { actionType: 'RELATED', entityType: 'cluster', identifier: c.id, entityUri: `/clusters/${c.id}` },
      ],
      timeAccepted: now(),
      errors: [],
      logs: [],
    };
    const log = (message: string) => w.logs.push({ message, timestamp: now() });
    const touch = () => {
      p.version++;
    };
    const previous = p.size;
    p.size = size;
    p.lifecycleState = 'UPDATING';
    touch();
    log(`Node pool ${p.id} update request accepted`);
    this.state.workRequests.push(w);

    const finish = (status: 'SUCCEEDED' | 'FAILED') => {
      w.status = status;
      w.timeFinished = now();
      w.resources[0]!.actionType = status === 'SUCCEEDED' ? 'UPDATED' : 'FAILED';
      p.lifecycleState = 'ACTIVE';
      p.lifecycleDetails = '';
      touch();
    };
    const steps: Step[] = [
      () => {
        w.status = 'IN_PROGRESS';
        w.timeStarted = now();
        log(`Updating node pool ${p.name} from ${previous} to ${size} nodes`);
      },
    ];
    const live = p.nodes.filter((n) => n.lifecycleState !== 'DELETING');
    if (size > this.maxNodesPerPool) {
      steps.push(() => {
        const message = `The following service limits were exceeded: ${limitName(p.nodeShape)}. Request a service limit increase from the service limits page in the console.`;
        w.errors.push({ code: 'LimitExceeded', message, timestamp: now() });
        log(`Launching instances failed: ${message}`);
        p.size = previous;
        finish('FAILED');
      });
    } else if (size > live.length) {
      const launching = Array.from({ length: size - live.length }, () => {
        const ip = nextPrivateIp(c);
        return newNode(this.state, c, p, ip, ip, Date.now());
      });
      steps[0] = chain(steps[0]!, () => {
        for (const n of launching) {
          n.lifecycleState = 'CREATING';
          p.nodes.push(n);
          log(`Launching instance ${n.id} (${n.name})`);
        }
        touch();
      });
      for (const n of launching) {
        steps.push(() => {
          n.lifecycleState = 'ACTIVE';
          addKubeNode(c, p, n);
          log(`Node ${n.name} (${n.privateIp}) is ACTIVE and registered with the cluster`);
          touch();
        });
      }
    } else if (size < live.length) {
      // The newest nodes go first (a pool keeps its nodes in launch order).
      const leaving = [...live].reverse().slice(0, live.length - size);
      steps[0] = chain(steps[0]!, () => {
        for (const n of leaving) {
          n.lifecycleState = 'DELETING';
          log(`Cordoning and draining node ${n.name} (${n.privateIp})`);
        }
        touch();
      });
      for (const n of leaving) {
        steps.push(() => {
          removeKubeNode(c, n);
          p.nodes.splice(p.nodes.indexOf(n), 1);
          log(`Terminated instance ${n.id} (${n.name})`);
          touch();
        });
      }
    }
    if (size <= this.maxNodesPerPool) {
      steps.push(() => {
        log(`Node pool ${p.id} updated`);
        finish('SUCCEEDED');
      });
    }
    this.run(w.id, { steps });
    return w;
  }

  /** Moves every unfinished work request one phase on. */
  advanceAll(): number {
    const ids = [...this.running.keys()];
    for (const id of ids) this.advance(id);
    return ids.length;
  }

  stop(): void {
    for (const r of this.running.values()) clearTimeout(r.timer);
    this.running.clear();
  }

  private run(id: string, r: Running): void {
    this.running.set(id, r);
    this.schedule(id, r);
  }

  private schedule(id: string, r: Running): void {
    if (!Number.isFinite(this.stepMs)) return;
    r.timer = setTimeout(() => this.advance(id), this.stepMs);
  }

  private advance(id: string): void {
    const r = this.running.get(id);
    if (!r) return;
    clearTimeout(r.timer);
    r.steps.shift()!();
    if (r.steps.length === 0) this.running.delete(id);
    else this.schedule(id, r);
  }
}

function chain(a: Step, b: Step): Step {
  return () => {
    a();
    b();
  };
}

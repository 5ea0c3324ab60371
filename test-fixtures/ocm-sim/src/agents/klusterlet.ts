/** The agents running on one managed cluster: they run, stop together when it goes down, and resume together. */
import type { Controller } from '../controller.js';

export interface Agent {
  readonly controllers: Controller[];
  start(): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

export class Klusterlet {
  private readonly agents: Agent[] = [];
  private down = false;

  constructor(readonly cluster: string) {}

  /** Starts an agent (paused at once if the cluster is down). */
  run(agent: Agent): void {
    this.agents.push(agent);
    agent.start();
    if (this.down) agent.pause();
  }

  /** Stops and forgets an agent (its add-on was disabled). */
  remove(agent: Agent): void {
    const i = this.agents.indexOf(agent);
    if (i >= 0) this.agents.splice(i, 1);
    agent.stop();
  }

  get available(): boolean {
    return !this.down;
  }

  setAvailable(available: boolean): void {
    if (available === !this.down) return;
    this.down = !available;
    for (const a of this.agents) available ? a.resume() : a.pause();
  }

  controllers(): Controller[] {
    return this.agents.flatMap((a) => a.controllers);
  }

  stop(): void {
    for (const a of this.agents.splice(0)) a.stop();
  }
}

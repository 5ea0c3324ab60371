import { describe, expect, it } from 'vitest';
import { fleetHealth, investigateCluster, ocmPrompts } from '../src/prompts.js';
import { ocmServer } from '../src/server.js';

const toolNames = new Set(ocmServer().tools.map((t) => t.name));
/** Every `snake_case` word a prompt puts in backticks that looks like a tool name. */
const named = (text: string) =>
  [...text.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map((m) => m[1]!).filter((w) => !w.includes('seconds'));

describe('prompts', () => {
  it('name only tools the server has, in the order they are to be called', () => {
    const fleet = fleetHealth.text({ selector: 'env=prod' });
    const cluster = investigateCluster.text({ cluster: 'cluster2' });
    for (const text of [fleet, cluster, fleetHealth.text({})]) {
      const tools = named(text).filter((w) => !['cluster_role'].includes(w));
      expect(tools.length).toBeGreaterThan(3);
      for (const tool of tools) expect(toolNames, tool).toContain(tool);
    }
    const order = ['clusters', 'connect_cluster', 'pods_not_ready', 'event_list', 'addon_list'];
    const at = order.map((tool) => fleet.indexOf(`\`${tool}\``));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('carry their arguments into the instructions', () => {
    expect(fleetHealth.text({ selector: 'env=prod' })).toContain('`cluster: "env=prod"`');
    expect(fleetHealth.text({})).toContain('`cluster: "*"`');
    expect(investigateCluster.text({ cluster: 'cluster2' })).toContain(
      'Pass `cluster: "cluster2"` to every tool',
    );
  });

  it('are the server’s prompts', () => {
    expect(ocmServer().prompts?.map((p) => p.name)).toEqual(ocmPrompts.map((p) => p.name));
  });
});

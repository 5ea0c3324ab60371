// Runs the CloudStack simulator in its own process, so that its CPU work is not charged to the benchmark
// client's event loop. Started with child_process.fork; reports { url, credentials } over IPC.
import { startCloudStackSim } from 'cloudstack-sim';

const options = JSON.parse(process.argv[2] ?? '{}');
const sim = await startCloudStackSim(options);
// The request log would grow by one entry per call for the whole run; the benchmark does not read it.
const trim = setInterval(() => {
  if (Array.isArray(sim.log)) sim.log.length = 0;
}, 1000);
trim.unref();
process.send({ url: sim.url, credentials: sim.credentials });
process.on('message', async (message) => {
  if (message === 'close') {
    await sim.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

// Manual browsing: `npx tsx simulator/serve.ts [--port N] [--seed N]`; prints the portals and waits.
import { parseArgs } from 'node:util';
import { startSimulator } from './server.ts';

const { values } = parseArgs({ options: { port: { type: 'string' }, seed: { type: 'string' } } });
const sim = await startSimulator({
  port: values.port ? Number(values.port) : 8090,
  seed: values.seed ? Number(values.seed) : 1,
});
for (const portal of sim.truth.portals)
  console.log(
    `${portal.platform.padEnd(8)} ${portal.regionCode} ${portal.name}  ${portal.url}  (${portal.reports.length} reports)`,
  );
console.log(`robots.txt: ${sim.url}/robots.txt — Ctrl-C to stop`);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));

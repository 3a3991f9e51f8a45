// Probing both nodes over SSH in parallel must take at most 1.5x the slowest single node's time.
// Two REAL sshds on loopback (test/helpers/sshd.ts), fresh SshRunners each round (handshake included),
// probeNode run for real on this machine through them. Prints the medians and the ratio; exits 1 above 1.5.
//   node bench/probe-parallel.mjs [rounds]
import { rmSync } from 'node:fs';
import { importSources } from './helpers/import-sources.mjs';
import { join } from 'node:path';

const rounds = Number(process.argv[2] ?? 5);
const { mod, dir: out } = await importSources(`export { SshRunner } from './src/exec/ssh-runner.ts';
export { probeNode, probeNodes } from './src/probes/probe-node.ts';
export { startSshd } from './test/helpers/sshd.ts';`);
const { SshRunner, probeNode, probeNodes, startSshd } = mod;

const servers = [await startSshd(), await startSshd()];
const kh = join(out, 'known_hosts');
const { writeFileSync } = await import('node:fs');
writeFileSync(kh, servers.map((s) => `[127.0.0.1]:${s.port} ssh-ed25519 ${s.hostKeyBlob.toString('base64')}\n`).join(''));
const runner = (s) =>
  new SshRunner({ host: '127.0.0.1', port: s.port, username: s.user, identityFile: s.clientKey, agentSocket: null, defaultKeyFiles: [], knownHostsPath: kh });

async function timed(fn) {
  const t0 = performance.now();
  const facts = await fn();
  const ms = performance.now() - t0;
  for (const f of [facts].flat()) if (!f.hostname) throw new Error(`probe failed: ${JSON.stringify(f.failures[0])}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const single = [[], []];
const both = [];
try {
  for (let i = 0; i < rounds; i++) {
    for (const k of [0, 1]) {
      const r = runner(servers[k]);
      single[k].push(await timed(() => probeNode(r)));
      await r.close();
    }
    const rs = servers.map(runner);
    both.push(await timed(() => probeNodes(rs)));
    await Promise.all(rs.map((r) => r.close()));
  }
} finally {
  for (const s of servers) await s.stop();
  rmSync(out, { recursive: true, force: true });
}
const slowest = Math.max(median(single[0]), median(single[1]));
const ratio = median(both) / slowest;
console.log(`probe over SSH, ${rounds} rounds (median): node A ${median(single[0]).toFixed(0)} ms, node B ${median(single[1]).toFixed(0)} ms, both in parallel ${median(both).toFixed(0)} ms`);
console.log(`ratio parallel / slowest single = ${ratio.toFixed(2)} (limit 1.50) ${ratio <= 1.5 ? 'OK' : 'TOO SLOW'}`);
process.exit(ratio <= 1.5 ? 0 : 1);

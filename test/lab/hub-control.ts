// The service hub's fault controls (svc-hub.mjs --control, issue 26): what the fencing drills cut or
// block on the service network beyond what a NIC's set_link can (the cluster's link 1 between the nodes
// while the service still works; a BMC that does not answer). lab-up.sh starts the hub with its control
// socket at .lab/run/hub.sock. Every command is answered with the rules now in force, so a drill knows
// the fault is in place before it goes on.
import net from 'node:net';
import { join } from 'node:path';
import { LAB_RUN } from './lab.js';

export const HUB_CONTROL = join(LAB_RUN, 'hub.sock');

export interface HubRules {
  /** Address pairs whose IPv4 frames the hub drops, both ways. */
  cuts: [string, string][];
  /** BMC addresses the hub neither answers ARP for nor relays. */
  blockedBmcs: string[];
}

/** Sends one command (`cut IP IP`, `block-bmc IP`, `clear`, `show`); returns the rules, throws on `error:`. */
export function hubControl(command: string, path = HUB_CONTROL, timeoutMs = 5_000): Promise<HubRules> {
  return new Promise((resolve, reject) => {
    const c = net.createConnection(path);
    let buf = '';
    const timer = setTimeout(() => {
      c.destroy();
      reject(new Error(`svc-hub control ${path}: no answer to "${command}" within ${timeoutMs} ms`));
    }, timeoutMs);
    c.on('connect', () => c.write(`${command}\n`));
    c.on('data', (d: Buffer) => {
      buf += d.toString();
      const i = buf.indexOf('\n');
      if (i < 0) return;
      clearTimeout(timer);
      c.end();
      const line = buf.slice(0, i);
      if (line.startsWith('ok ')) resolve(JSON.parse(line.slice(3)) as HubRules);
      else reject(new Error(`svc-hub control "${command}": ${line}`));
    });
    c.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`svc-hub control ${path}: ${e.message} (was the lab brought up by a lab-up.sh that starts the hub with --control?)`));
    });
  });
}

#!/usr/bin/env node
// Picks free loopback ports for the lab. Each argument is tcp:PORT or udp:PORT; PORT 0 means any free
// port, a fixed PORT is taken when free and replaced by any free port when not (the machine is shared:
// another developer's lab may hold the defaults). All sockets stay open until every port is chosen, so
// no port is handed out twice; prints the chosen ports, space separated, in argument order.
import net from 'node:net';
import dgram from 'node:dgram';

function bindTcp(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(null));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve({ s, port: s.address().port }));
  });
}
function bindUdp(port) {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(null));
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve({ s, port: s.address().port }));
  });
}

const held = [];
const chosen = [];
for (const spec of process.argv.slice(2)) {
  const [proto, wanted] = spec.split(':');
  const bind = proto === 'udp' ? bindUdp : bindTcp;
  let got = await bind(Number(wanted ?? 0));
  if (!got) got = await bind(0);
  if (!got) {
    console.error(`error: no free ${proto} port on 127.0.0.1`);
    process.exit(1);
  }
  held.push(got.s);
  chosen.push(got.port);
}
console.log(chosen.join(' '));
for (const s of held) s.close();

// `monitor --listen ADDR:PORT`: serves the live collector's state as Prometheus metrics on /metrics.
// Plain node:http, one route; any other path is 404. The listen address is parsed here so a bad one is
// one clear line before anything connects to the nodes.
import { createServer, type Server } from 'node:http';

export type ListenAddress = { host: string; port: number };

export function parseListen(v: string): { ok: true; value: ListenAddress } | { ok: false; error: string } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(v);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) {
    return { ok: false, error: `--listen: "${v}" is not ADDR:PORT (e.g. 127.0.0.1:9910, [::1]:9910, 0.0.0.0:9910; port 1-65535)` };
  }
  return { ok: true, value: { host: m[1] ?? m[2]!, port } };
}

/** Starts listening; resolves once bound, or with the reason it could not bind (EADDRINUSE, EACCES...). */
export function serveMetrics(addr: ListenAddress, metrics: () => string): Promise<{ ok: true; server: Server } | { ok: false; error: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('hanfs-wizard monitor: metrics are at /metrics\n');
      return;
    }
    const body = metrics();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const why: Record<string, string> = { EADDRINUSE: 'address already in use', EACCES: 'permission denied (ports below 1024 need root)', EADDRNOTAVAIL: 'no such address on this machine', ENOTFOUND: 'no such host' };
      resolve({ ok: false, error: `--listen: cannot listen on ${addr.host}:${addr.port}: ${why[e.code ?? ''] ?? e.message}` });
    };
    server.once('error', onError);
    server.listen(addr.port, addr.host, () => {
      server.off('error', onError);
      resolve({ ok: true, server });
    });
  });
}

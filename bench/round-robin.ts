/**
 * A loopback load balancer for the fleet benchmark: each request goes to the next instance in turn,
 * as a round-robin balancer in front of several Tandem instances would send it. It forwards the
 * body and the headers untouched (Slack's signature covers them) over kept-alive connections.
 */
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobin {
  port: number;
  /** How many requests each instance received. */
  counts(): number[];
  close(): Promise<void>;
}

export async function startRoundRobin(ports: readonly number[]): Promise<RoundRobin> {
  if (ports.length === 0) throw new Error('no instance to balance');
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const counts = ports.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const index = next;
    next = (next + 1) % ports.length;
    counts[index] = (counts[index] ?? 0) + 1;
    const upstream = request(
      { host: '127.0.0.1', port: ports[index], method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    counts: () => [...counts],
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import { createServer, request, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** One HTTP request that went through the proxy: the host:port it was for, and its request line. */
export interface Passage {
  target: string;
  /** 'tunnel' for a CONNECT tunnel, 'forward' for an absolute-URL request. */
  via: 'tunnel' | 'forward';
  method: string;
  path: string;
}

const REQUEST_LINE = /(?:^|\r\n)(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/g;

/**
 * A corporate proxy on loopback, for the tests: it answers CONNECT (tunnels) and absolute-URL
 * requests (forwarding), and records each request that passes. Tunnels to plain-HTTP targets are
 * read as they pass, so each request inside one (Web API call, upload, WebSocket upgrade) is
 * recorded by its request line.
 */
export class RecordingProxy {
  readonly passages: Passage[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** http://127.0.0.1:PORT */
    readonly url: string,
  ) {}

  static async start(): Promise<RecordingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new RecordingProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (socket) => proxy.track(socket));
    server.on('connect', (req, client: Socket, head: Buffer) => proxy.tunnel(req.url ?? '', client, head));
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/');
      proxy.passages.push({ target: url.host, via: 'forward', method: req.method ?? 'GET', path: `${url.pathname}${url.search}` });
      const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    return proxy;
  }

  /** The request lines that went to this host:port. */
  to(target: string): Passage[] {
    return this.passages.filter((p) => p.target === target);
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private tunnel(target: string, client: Socket, head: Buffer): void {
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) this.read(target, head);
      upstream.write(head);
      client.on('data', (chunk: Buffer) => this.read(target, chunk));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private read(target: string, chunk: Buffer): void {
    for (const match of chunk.toString('latin1').matchAll(REQUEST_LINE)) {
      this.passages.push({ target, via: 'tunnel', method: match[1] as string, path: match[2] as string });
    }
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

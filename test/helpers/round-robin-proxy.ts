import net from 'node:net';

/**
 * A TCP load balancer in front of several server instances, as a test needs one: each new client connection goes
 * to the next instance in turn; an instance that refuses the connection (stopped, killed) is skipped for that
 * connection, as a load balancer's failed health check would, and tried again for the next one.
 */
export class RoundRobinProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private next = 0;
  port = 0;
  /** Connections handed to each upstream port. */
  readonly connections = new Map<number, number>();

  constructor(private readonly upstreamPorts: number[]) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => {
      this.track(client);
      client.pause();
      this.connect(client, this.upstreamPorts.length);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private connect(client: net.Socket, triesLeft: number): void {
    if (triesLeft === 0 || client.destroyed) return void client.destroy();
    const port = this.upstreamPorts[this.next++ % this.upstreamPorts.length];
    const upstream = net.connect(port, '127.0.0.1');
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.track(upstream);
      this.connections.set(port, (this.connections.get(port) ?? 0) + 1);
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      if (!connected) return this.connect(client, triesLeft - 1);
      upstream.destroy();
      client.destroy();
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (!socket.destroyed) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
  }
}

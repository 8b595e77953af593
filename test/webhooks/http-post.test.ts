import http from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { EndpointAgents } from '../../src/services/webhooks/endpoint-agents';
import { postTo } from '../../src/services/webhooks/http-post';

/**
 * A receiver that drops a kept-alive connection on its second request without answering, as a server closing an
 * idle connection just as a delivery is written to it; every other request gets a 204.
 */
async function droppingReceiver() {
  const served = new Map<Socket, number>();
  let connections = 0;
  let answered = 0;
  const server = http.createServer((req, res) => {
    const n = (served.get(req.socket) ?? 0) + 1;
    served.set(req.socket, n);
    if (n === 2) {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', () => {
      answered++;
      res.writeHead(204).end();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    counts: () => ({ connections, answered }),
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('webhook POST over a kept-alive connection', () => {
  it('a connection the receiver drops before answering is tried once more on a new one', async () => {
    const receiver = await droppingReceiver();
    const agents = new EndpointAgents(1);
    try {
      const url = new URL(`http://127.0.0.1:${receiver.port}/hook`);
      const agent = agents.agentFor('e1', url, [{ address: '127.0.0.1', family: 4 }]);
      expect((await postTo(url, agent, {}, '{}', 5_000)).status).toBe(204);
      expect((await postTo(url, agent, {}, '{}', 5_000)).status).toBe(204);
      expect(receiver.counts()).toEqual({ connections: 2, answered: 2 });
    } finally {
      agents.closeAll();
      await receiver.stop();
    }
  });

  it('a fresh connection dropped before an answer is a failed attempt, not retried', async () => {
    const server = http.createServer((req) => req.socket.destroy());
    let connections = 0;
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agents = new EndpointAgents(1);
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
      const agent = agents.agentFor('e1', url, [{ address: '127.0.0.1', family: 4 }]);
      await expect(postTo(url, agent, {}, '{}', 5_000)).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(connections).toBe(1);
    } finally {
      agents.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('an agent connects only to its pinned addresses, whatever the URL names', async () => {
    const server = http.createServer((req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agents = new EndpointAgents(1);
    try {
      // No DNS knows this name: the connection can only have gone to the pinned loopback address.
      const url = new URL(`http://pinned.invalid:${(server.address() as AddressInfo).port}/hook`);
      const agent = agents.agentFor('e1', url, [{ address: '127.0.0.1', family: 4 }]);
      expect((await postTo(url, agent, {}, '{}', 5_000)).status).toBe(204);
      expect(agents.agentFor('e1', url, [{ address: '127.0.0.1', family: 4 }])).toBe(agent);
      expect(agents.agentFor('e1', url, [{ address: '127.0.0.2', family: 4 }])).not.toBe(agent);
      agents.release('e1');
      expect(agents.size).toBe(0);
    } finally {
      agents.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

import http from 'node:http';
import https from 'node:https';
import { type LookupFunction } from 'node:net';
import { type CheckedAddress } from './address-policy';

/** Idle sockets are closed after this, before the 5 s most servers (Node's default) give an idle connection. */
const IDLE_SOCKET_MS = 4_000;
/** An agent unused this long is dropped (its endpoint may have been deleted or turned off). */
const IDLE_AGENT_MS = 60_000;
/** At most this many agents are kept; the least recently used goes first. */
const MAX_AGENTS = 500;

interface Entry {
  agent: http.Agent;
  /** The checked addresses the agent's sockets connect to, sorted: the agent is only used while they still hold. */
  pinned: string;
  usedAt: number;
}

const pinKey = (addresses: CheckedAddress[]): string =>
  addresses
    .map((a) => `${a.family}/${a.address}`)
    .sort()
    .join(' ');

/**
 * Keep-alive connections per endpoint and origin, so that a busy endpoint's deliveries do not each pay a new TCP
 * (and TLS) handshake. The address policy still holds per socket: the caller resolves and checks the name at every
 * delivery, and an agent connects only to the addresses it was created with (its `lookup` answers with them and
 * never asks DNS). When a delivery's check yields other addresses, the agent and its sockets are dropped and a new
 * one pinned to the new addresses is made; when the check refuses, no socket is used at all. A socket is therefore
 * only reused while the name still resolves, at delivery time, to exactly the checked addresses it was opened to.
 */
export class EndpointAgents {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxSocketsPerEndpoint: number) {}

  /** The agent for this endpoint's origin, pinned to `addresses` (checked by the caller just now). */
  agentFor(endpointId: string, url: URL, addresses: CheckedAddress[]): http.Agent {
    const key = `${endpointId} ${url.origin}`;
    const pinned = pinKey(addresses);
    const now = Date.now();
    const found = this.entries.get(key);
    this.entries.delete(key);
    if (found && found.pinned === pinned) {
      found.usedAt = now;
      this.entries.set(key, found); // most recently used last
      return found.agent;
    }
    found?.agent.destroy();
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    };
    const options = { keepAlive: true, maxSockets: this.maxSocketsPerEndpoint, timeout: IDLE_SOCKET_MS, lookup };
    const agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    this.entries.set(key, { agent, pinned, usedAt: now });
    this.sweep(now);
    return agent;
  }

  /** Drops the endpoint's agents (it was turned off, or its deliveries are refused). */
  release(endpointId: string): void {
    for (const [key, entry] of this.entries)
      if (key.startsWith(`${endpointId} `)) {
        entry.agent.destroy();
        this.entries.delete(key);
      }
  }

  /** Drops agents unused for a while, and the least recently used beyond the bound. */
  sweep(now = Date.now()): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_AGENTS && now - entry.usedAt < IDLE_AGENT_MS) break;
      entry.agent.destroy();
      this.entries.delete(key);
    }
  }

  /** Closes every connection (the dispatcher stops). */
  closeAll(): void {
    for (const entry of this.entries.values()) entry.agent.destroy();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

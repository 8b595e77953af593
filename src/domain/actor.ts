import { type RequestCredential } from './credential-lineage';

/**
 * Who performs a use case. Every service method takes one first; the organization a SCIM actor
 * may touch comes from here (and the route), never from a request body. `requestId` is the server's own id of
 * the request; `clientRequestId` is the caller's X-Request-Id, kept beside it for correlation, never instead.
 */
interface RequestIds {
  requestId?: string;
  clientRequestId?: string;
}

export type Actor =
  /**
   * `sessionId`: the browser session the request came with (absent for bearer tokens). `credential`: what
   * authenticated the request (the transports always set it); credentials this actor creates record it as their
   * parent. Absent (an actor made in process), they record no origin.
   */
  | ({ kind: 'USER'; userId: string; email: string; sessionId?: string; credential?: RequestCredential } & RequestIds)
  | ({ kind: 'SCIM'; organizationId: string; client?: string; keyId?: string; provider?: string } & RequestIds)
  | ({ kind: 'CLI' } & RequestIds)
  | ({ kind: 'SYSTEM' } & RequestIds);

export const cliActor = (): Actor => ({ kind: 'CLI' });
export const systemActor = (): Actor => ({ kind: 'SYSTEM' });
/** The SCIM connection of an organization; `key` names the SCIM key it authenticated with and the configured provider. */
export const scimActor = (
  organizationId: string,
  client?: string,
  requestId?: string,
  key?: { keyId: string; provider: string; clientRequestId?: string },
): Actor => ({
  kind: 'SCIM',
  organizationId,
  client,
  requestId,
  ...key,
});

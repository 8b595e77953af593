/**
 * Who performs a use case. Every service method takes one first; the organization a SCIM actor
 * may touch comes from here (and the route), never from a request body.
 */
export type Actor =
  /** `sessionId`: the browser session the request came with (absent for bearer tokens). */
  | { kind: 'USER'; userId: string; email: string; requestId?: string; sessionId?: string }
  | { kind: 'SCIM'; organizationId: string; client?: string; requestId?: string }
  | { kind: 'CLI'; requestId?: string }
  | { kind: 'SYSTEM'; requestId?: string };

export const cliActor = (): Actor => ({ kind: 'CLI' });
export const systemActor = (): Actor => ({ kind: 'SYSTEM' });
export const scimActor = (organizationId: string, client?: string, requestId?: string): Actor => ({
  kind: 'SCIM',
  organizationId,
  client,
  requestId,
});

import { type Request, type Response } from 'express';
import { type Actor } from '../../domain/actor';
import { type ScimRequestRecord } from '../../services/scim-request-log.service';
import { ScimError } from './errors';

/** Who asks, in which organization, and where its SCIM root is: set once the request's key is accepted. */
export interface ScimRequestScope {
  actor: Actor;
  organizationId: string;
  /** `{PUBLIC_URL}/scim/v2/{organizationId}`, for `meta.location` and `Location`. */
  baseUrl: string;
  /** The identity provider the request comes from, when it tells (src/scim/client.ts); null otherwise. */
  client: string | null;
  /** The key the request authenticated with, as the provisioning log records it. */
  apiKey: NonNullable<ScimRequestRecord['apiKey']>;
}

// What a SCIM request carries from one middleware to the next, in `res.locals`, under these names only.
interface ScimLocals {
  scim?: ScimRequestScope;
  /** What the request changed, or why it failed, for the provisioning log. Never a secret or a body. */
  scimSummary?: string;
  /** Something the admin should look at although the request succeeded (the log highlights it). */
  scimWarning?: string;
  /** The member or group a request created; other requests name theirs in the URL. */
  scimTarget?: ScimRequestRecord['target'];
}

const localsOf = (res: Response): ScimLocals => res.locals as ScimLocals;

/** Key authentication (src/scim/auth.ts) accepted the request: every handler after it acts in this scope. */
export function enterScope(res: Response, scope: ScimRequestScope): void {
  localsOf(res).scim = scope;
}

/** The scope of an authenticated request; undefined before (or without) authentication. */
export const scopeIfAuthenticated = (res: Response): ScimRequestScope | undefined => localsOf(res).scim;

/** The scope of a request behind key authentication, which every SCIM route is. */
export function scopeOf(res: Response): ScimRequestScope {
  const scope = localsOf(res).scim;
  if (!scope) throw new Error('SCIM route reached without key authentication');
  return scope;
}

/** Notes what the request did (or why it failed) for the provisioning log. */
export function summarize(res: Response, summary: string): void {
  localsOf(res).scimSummary = summary;
}

export const summaryOf = (res: Response): string | null => localsOf(res).scimSummary ?? null;

/** Notes a warning for the provisioning log: the request succeeded, but not quite as the IdP may think. */
export function warn(res: Response, warning: string): void {
  localsOf(res).scimWarning = warning;
}

export const warningOf = (res: Response): string | null => localsOf(res).scimWarning ?? null;

/** Names the member or group a creation made, which its URL cannot. */
export function nameTarget(res: Response, target: NonNullable<ScimRequestRecord['target']>): void {
  localsOf(res).scimTarget = target;
}

export const namedTargetOf = (res: Response): ScimRequestRecord['target'] | undefined => localsOf(res).scimTarget;

/** A request body that must be a JSON object (POST .search); an absent body reads as `{}`. */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new ScimError(400, 'invalidSyntax', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

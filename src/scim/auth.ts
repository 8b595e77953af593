import { type NextFunction, type Request, type Response } from 'express';
import { LRUCache } from 'lru-cache';
import type pino from 'pino';
import { type Services } from '../services/services';
import { type ScimKeyPrincipal } from '../services/credential-cache';
import { scimActor } from '../domain/actor';
import { unauthenticated } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { detectClient } from './client';
import { sendScimError } from './protocol/http';
import { scimErrorFromDomain, toScimError } from './protocol/error-mapping';
import { enterScope } from './protocol/request';
import { recordScimRequest } from './request-log';

/** `Authorization: Bearer <key>`, or the bare key as Bitwarden accepts it. */
function presentedKey(req: Request): string | null {
  const header = req.get('authorization')?.trim();
  if (!header) return null;
  const bearer = /^bearer\s+(.+)$/i.exec(header);
  return (bearer ? bearer[1] : header).trim() || null;
}

/**
 * One answer for every refusal: no key, a wrong or rotated-out key (also a previous key past its overlap), another organization's key, an unknown
 * organization, or SCIM disabled. Telling "disabled" apart would tell anyone who knows an id whether the
 * organization exists and provisions over SCIM, so there is no separate "SCIM disabled" error.
 */
const UNAUTHORIZED = 'the SCIM API key is missing, wrong, or SCIM is disabled for this organization';

/**
 * A rejected key on an organization with SCIM enabled is what an admin needs to see when "it stopped syncing"
 * after a rotation, so it goes into that organization's provisioning log. At most once a minute per organization
 * and instance: anyone who knows the URL could otherwise flush the log's real entries out with failed requests.
 */
const REJECTION_LOG_INTERVAL_MS = 60_000;
/**
 * Organizations remembered for that throttle. Only organizations with SCIM enabled get there (the id is checked
 * first), and the least recently seen is forgotten first: at worst it gets one more row within its minute.
 */
const REJECTION_LOG_ORGANIZATIONS = 10_000;
/** The path of a rejected request is stored without its query string (anyone can send one) and short. */
const REJECTED_PATH_CHARS = 200;

/**
 * Authenticates the SCIM connection of the organization in the URL. The answer is the same 401
 * whether the organization exists or not; keys are compared by hash in constant time, never logged.
 * The organization id is a UUID, used lower-cased from here on: every spelling of one id is one organization
 * (for the throttle below, the rate limit and the log).
 */
export function scimAuth(services: Services, publicUrl: string, logger: pino.Logger) {
  const recentlyLogged = new LRUCache<string, true>({
    max: REJECTION_LOG_ORGANIZATIONS,
    ttl: REJECTION_LOG_INTERVAL_MS,
  });
  /** After the 401 is sent: its status is what the log row records. */
  const logRejection = (req: Request, res: Response, organizationId: string, keyPresented: boolean) => {
    if (recentlyLogged.has(organizationId)) return;
    recentlyLogged.set(organizationId, true);
    recordScimRequest(services, logger, req, res, {
      organizationId,
      client: detectClient(req),
      durationMs: 0,
      summary: keyPresented
        ? "API key rejected: not a working key (rotated out, past its overlap, or another organization's)"
        : 'no API key sent',
      path: req.originalUrl.split('?', 1)[0].slice(0, REJECTED_PATH_CHARS),
    });
  };

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const raw = String(req.params.organizationId);
    const organizationId = isUuid(raw) ? raw.toLowerCase() : raw;
    let scimKey: ScimKeyPrincipal;
    try {
      const key = presentedKey(req);
      const check = await services.scimSettings.authenticateKey(organizationId, key ?? '');
      if (check === 'rejected' || check === 'unknown') {
        sendScimError(res, scimErrorFromDomain(unauthenticated(UNAUTHORIZED)));
        if (check === 'rejected') logRejection(req, res, organizationId, key !== null);
        return;
      }
      scimKey = check;
    } catch (err) {
      const scimError = toScimError(err);
      if (scimError) return sendScimError(res, scimError);
      return next(err);
    }
    const client = detectClient(req);
    enterScope(res, {
      actor: scimActor(organizationId, client ?? undefined, res.locals.requestId, {
        keyId: scimKey.keyId,
        provider: scimKey.provider,
        clientRequestId: res.locals.clientRequestId,
      }),
      organizationId,
      client,
      apiKey: { id: scimKey.keyId, hint: scimKey.hint, status: scimKey.status, provider: scimKey.provider },
      baseUrl: `${publicUrl}/scim/v2/${organizationId}`,
    });
    next();
  };
}

import { NextFunction, Request, Response } from 'express';
import { Services } from '../container';
import { scimActor } from '../domain/actor';
import { ScimError } from './errors';
import { detectClient } from './client';
import { sendScimError } from './http';
import { toScimError } from './error-mapping';

/** `Authorization: Bearer <key>`, or the bare key as Bitwarden accepts it. */
function presentedKey(req: Request): string | null {
  const header = req.get('authorization')?.trim();
  if (!header) return null;
  const bearer = /^bearer\s+(.+)$/i.exec(header);
  return (bearer ? bearer[1] : header).trim() || null;
}

const UNAUTHORIZED = 'the SCIM API key is missing, wrong, or SCIM is disabled for this organization';

/**
 * Authenticates the SCIM connection of the organization in the URL. The answer is the same 401
 * whether the organization exists or not; keys are compared by hash in constant time, never logged.
 */
export function scimAuth(services: Services, publicUrl: string) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const organizationId = String(req.params.organizationId);
    try {
      const key = presentedKey(req);
      if (!key || !(await services.scimSettings.verifyKey(organizationId, key))) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="scim"');
        return sendScimError(res, new ScimError(401, undefined, UNAUTHORIZED));
      }
    } catch (err) {
      const scimError = toScimError(err);
      if (scimError) return sendScimError(res, scimError);
      return next(err);
    }
    const client = detectClient(req);
    res.locals.scim = {
      actor: scimActor(organizationId, client ?? undefined, res.locals.requestId),
      organizationId,
      client,
      baseUrl: `${publicUrl}/scim/v2/${organizationId}`,
    };
    next();
  };
}

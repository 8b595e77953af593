import { type NextFunction, type Request, type Response } from 'express';
import { ScimError, scimErrorBody } from './errors';
import { toScimError } from './error-mapping';
import { summarize } from './request';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export function sendScim(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const json = JSON.stringify(body);
  // With a validator (a resource's ETag), Express's send: it answers a GET whose If-None-Match matches with a 304.
  if (res.getHeader('ETag') !== undefined) {
    res.status(status).type(SCIM_CONTENT_TYPE).send(json);
    return;
  }
  // Without one (lists, errors) there is nothing for it to do but re-parse the content type we set; written directly.
  res.statusCode = status;
  res.setHeader('Content-Type', SCIM_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(res.req.method === 'HEAD' ? undefined : json);
}

export function sendScimError(res: Response, err: ScimError): void {
  summarize(res, err.detail);
  sendScim(res, err.status, scimErrorBody(err), { ...err.headers });
}

export type Handler = (req: Request, res: Response) => Promise<void>;

/** Wraps a route: every failure becomes a SCIM error body; only bugs are 500 (masked, logged). */
export function scimRoute(handler: Handler) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      await handler(req, res);
    } catch (err) {
      const scimError = toScimError(err);
      if (scimError) sendScimError(res, scimError);
      else next(err);
    }
  };
}

/** `W/"3"` for version 3 (RFC 7644 §3.14). */
export const etagOf = (version: number): string => `W/"${version}"`;

/**
 * The version an `If-Match` header asks for: undefined when absent or `*`. A value that names no
 * version of ours can never match: 412 (RFC 7232 §3.1).
 */
export function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (!header || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match) throw new ScimError(412, undefined, 'If-Match does not match the current version');
  return Number(match[1]);
}

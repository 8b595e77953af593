import { type NextFunction, type Request, type Response, Router } from 'express';
import { type TransportDeps } from '../http/transport-deps';
import { type UserActor } from '../graphql/context';
import { Authenticator } from '../graphql/auth';
import { refusal } from '../graphql/errors';
import { actorOf, authenticateRequest } from '../graphql/request-auth';
import { forbidden } from '../domain/errors';
import { isUuid } from '../domain/ids';
import { type AuditEventView } from '../read-models/log.view';
import { type ExportedMember } from '../services/export.service';
import { csvFilename, sendCsv } from './csv';
import { eventExportQuery, memberExportQuery } from './export-query';
import { toDomainError } from '../http/unavailable';

const MEMBER_COLUMNS: { header: string; value: (row: ExportedMember) => unknown }[] = [
  { header: 'id', value: (r) => r.member.id },
  { header: 'email', value: (r) => r.member.email },
  { header: 'userName', value: (r) => r.member.userName },
  { header: 'displayName', value: (r) => r.member.displayName },
  { header: 'givenName', value: (r) => r.member.givenName },
  { header: 'familyName', value: (r) => r.member.familyName },
  { header: 'status', value: (r) => r.member.status },
  { header: 'role', value: (r) => r.member.role },
  { header: 'source', value: (r) => r.member.source },
  { header: 'externalId', value: (r) => r.member.externalId },
  { header: 'department', value: (r) => r.member.department },
  { header: 'groups', value: (r) => r.groups?.join('; ') },
  { header: 'revocationReason', value: (r) => r.member.revocationReason },
  { header: 'createdAt', value: (r) => r.member.createdAt },
  { header: 'updatedAt', value: (r) => r.member.updatedAt },
];

const EVENT_COLUMNS: { header: string; value: (e: AuditEventView) => unknown }[] = [
  { header: 'occurredAt', value: (e) => e.occurredAt },
  { header: 'type', value: (e) => e.type },
  { header: 'source', value: (e) => e.source },
  { header: 'actor', value: (e) => e.actorDisplay },
  { header: 'actorMemberId', value: (e) => e.actorMemberId },
  { header: 'actorUserId', value: (e) => e.actorUserId },
  { header: 'targetType', value: (e) => e.targetType },
  { header: 'target', value: (e) => e.targetDisplay },
  { header: 'targetId', value: (e) => e.targetId },
  { header: 'reason', value: (e) => e.reason },
  { header: 'data', value: (e) => e.data },
  { header: 'requestId', value: (e) => e.requestId },
];

/**
 * A download the session cookie may authorize only from the console itself: `Sec-Fetch-Site` names where the
 * request came from, and a cross-site link or navigation (which SameSite=Lax lets carry the cookie) is refused.
 * A bearer token is not sent by a browser on its own, so it needs no such check; neither does a client without
 * the header (not a browser).
 */
function sameOriginDownloads(req: Request, res: Response, next: NextFunction): void {
  const site = req.get('sec-fetch-site');
  if (!req.get('authorization') && site && site !== 'same-origin' && site !== 'none') {
    const { status, body } = refusal(forbidden('exports with the session cookie start from the console'));
    res.status(status).json(body);
    return;
  }
  next();
}

type Handler = (req: Request, res: Response, actor: UserActor, organizationId: string) => Promise<void>;

/** Refusals (no right, unknown organization, bad filter) answered before the first byte, as GraphQL words them. */
function exportRoute(handler: Handler) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const actor = actorOf(res);
    const organizationId = String(req.params.organizationId);
    try {
      if (!actor) throw new Error('export reached without an authenticated actor');
      await handler(req, res, actor, isUuid(organizationId) ? organizationId.toLowerCase() : organizationId);
    } catch (err) {
      const domain = toDomainError(err);
      if (res.headersSent) return;
      if (!domain) return next(err);
      const { status, headers, body } = refusal(domain);
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.status(status).json(body);
    }
  };
}

/**
 * GET /export/organizations/:organizationId/members.csv and …/events.csv: the member list and the event log as
 * CSV, with the list's own filters in the query string, authorized like the list (session cookie from the console,
 * or a bearer token; viewMembers, viewEvents), streamed page by page.
 */
export function createExportRouter(container: TransportDeps): Router {
  const { services, config, rateLimits, logger } = container;
  const authenticator = new Authenticator({ config, services, logger });
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(sameOriginDownloads, authenticateRequest(authenticator, rateLimits, config));

  router.get(
    '/organizations/:organizationId/members.csv',
    exportRoute(async (req, res, actor, organizationId) => {
      const { filter, order } = memberExportQuery(req);
      const { organizationName, pages } = await services.exports.members(actor, organizationId, filter, order);
      await sendCsv(res, csvFilename('members', organizationName), MEMBER_COLUMNS, pages);
    }),
  );

  router.get(
    '/organizations/:organizationId/events.csv',
    exportRoute(async (req, res, actor, organizationId) => {
      const filter = eventExportQuery(req);
      const { organizationName, pages } = await services.exports.events(actor, organizationId, filter);
      await sendCsv(res, csvFilename('events', organizationName), EVENT_COLUMNS, pages);
    }),
  );
  return router;
}

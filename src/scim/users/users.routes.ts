import { type Request, type Response, Router } from 'express';
import { type Actor } from '../../domain/actor';
import { MemberStatus } from '../../domain/enums';
import { type Services } from '../../container';
import { type MemberView as Member } from '../../services/views/member.view';
import { ScimError } from '../protocol/errors';
import { etagOf, expectedVersion, scimRoute, sendScim } from '../protocol/http';
import { normalizePatch } from '../protocol/patch';
import { applyUserPatch } from './user-patch';
import { projectResource } from '../protocol/projection';
import { queryOf, readListQuery } from '../protocol/query';
import { listResponse } from '../protocol/schemas';
import { memberToState, stateToProfile, userResource } from './user-render';
import { readUserBody, setsActive } from './user-body';

export interface ScimRequestScope {
  actor: Actor;
  organizationId: string;
  baseUrl: string;
}

export const scopeOf = (res: Response): ScimRequestScope => res.locals.scim as ScimRequestScope;

/** /Users: SCIM Users are members (RFC 7644 §3.3–§3.6); every rule lives in MemberService. */
export function usersRouter(services: Services): Router {
  const router = Router({ mergeParams: true });
  const members = services.members;

  // `fresh`: a member created by this request is in no group yet; no need to ask the database.
  const render = async (scope: ScimRequestScope, list: Member[], fresh = false) => {
    const groups =
      list.length && !fresh
        ? await services.groups.groupsOf(
            scope.actor,
            scope.organizationId,
            list.map((m) => m.id),
          )
        : new Map();
    return list.map((m) => userResource(m, scope.baseUrl, groups.get(m.id) ?? []));
  };

  const sendOne = async (req: Request, res: Response, member: Member, status = 200) => {
    const scope = scopeOf(res);
    const [resource] = await render(scope, [member], status === 201);
    const headers: Record<string, string> = { ETag: etagOf(member.version) };
    if (status === 201) headers.Location = `${scope.baseUrl}/Users/${member.id}`;
    sendScim(
      res,
      status,
      projectResource(resource, { attributes: req.query.attributes, excludedAttributes: req.query.excludedAttributes }),
      headers,
    );
  };

  const list = async (res: Response, source: Record<string, unknown>) => {
    const scope = scopeOf(res);
    const q = readListQuery('User', source);
    const page = await members.listForScim(scope.actor, scope.organizationId, q);
    const resources = page.items.map(({ member, groups }) =>
      projectResource(userResource(member, scope.baseUrl, groups), q),
    );
    sendScim(res, 200, listResponse(resources, page.total, q.startIndex));
  };

  router.get(
    '/',
    scimRoute((req, res) => list(res, queryOf(req))),
  );
  router.post(
    '/.search',
    scimRoute((req, res) => list(res, bodyObject(req))),
  );

  router.post(
    '/',
    scimRoute(async (req, res) => {
      const scope = scopeOf(res);
      const state = readUserBody(req.body);
      const member = await members.provision(scope.actor, scope.organizationId, stateToProfile(state), state.active);
      res.locals.scimSummary = `user ${member.id} provisioned as ${member.status}`;
      await sendOne(req, res, member, 201);
    }),
  );

  router.get(
    '/:id',
    scimRoute(async (req, res) => {
      const scope = scopeOf(res);
      await sendOne(req, res, await members.get(scope.actor, scope.organizationId, String(req.params.id)));
    }),
  );

  router.put(
    '/:id',
    scimRoute(async (req, res) => {
      const scope = scopeOf(res);
      const id = String(req.params.id);
      const state = readUserBody(req.body);
      // With no address in the body the member keeps its login email.
      const active = setsActive(req.body) ? state.active : undefined;
      const member = await members.update(
        scope.actor,
        scope.organizationId,
        id,
        (current) => ({ profile: stateToProfile(state, current.email), active }),
        {
          expectedVersion: expectedVersion(req),
        },
      );
      res.locals.scimSummary = `user ${member.id} replaced (${member.status}${heldNote(active, member)})`;
      await sendOne(req, res, member);
    }),
  );

  router.patch(
    '/:id',
    scimRoute(async (req, res) => {
      const scope = scopeOf(res);
      const id = String(req.params.id);
      const ops = normalizePatch(req.body);
      const asked = expectedVersion(req);
      if (!ops.length) {
        const current = await members.get(scope.actor, scope.organizationId, id);
        if (asked !== undefined && current.version !== asked)
          throw new ScimError(412, undefined, `the user is at version ${current.version}`);
        return sendOne(req, res, current);
      }
      // The operations apply, all or none, to the member as it is under the write's row lock.
      let active: boolean | undefined;
      const member = await members.update(
        scope.actor,
        scope.organizationId,
        id,
        (current) => {
          const next = applyUserPatch(memberToState(current), ops);
          active = next.active;
          return { profile: stateToProfile(next, current.email), active: next.active };
        },
        { expectedVersion: asked },
      );
      res.locals.scimSummary = `user ${member.id} patched (${ops.length} operations, ${member.status}${heldNote(active, member)})`;
      await sendOne(req, res, member);
    }),
  );

  router.delete(
    '/:id',
    scimRoute(async (req, res) => {
      const scope = scopeOf(res);
      const kept = await members.remove(scope.actor, scope.organizationId, String(req.params.id), {
        expectedVersion: expectedVersion(req),
      });
      // A deletion the deprovisioning safeguard held is answered 204 too (RFC 7644 §3.6 allows no other success):
      // an error would make the identity provider retry it (5xx, 429) or mark the user failed (4xx) until the hold is
      // decided, and every retry would only join the same hold. The request is recorded, not lost; a re-read shows
      // the truth, the user still there, and a person applies (the deletion happens) or discards it.
      res.locals.scimSummary = kept
        ? `user ${req.params.id} deletion held by the deprovisioning safeguard`
        : `user ${req.params.id} removed`;
      res.status(204).end();
    }),
  );

  return router;
}

/**
 * A deactivation asked for that left the member active was held by the deprovisioning safeguard; an activation that
 * left it revoked was held back by an administrator's "keep revoked".
 */
const heldNote = (active: boolean | undefined, member: Member): string => {
  if (active === false && member.status !== MemberStatus.REVOKED)
    return '; deactivation held by the deprovisioning safeguard';
  if (active === true && member.status === MemberStatus.REVOKED && member.revocationHeldAt)
    return '; restore held back: kept revoked by an administrator';
  return '';
};

export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new ScimError(400, 'invalidSyntax', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

import { type Request, type RequestHandler, type Response, type Router } from 'express';
import { MemberStatus } from '../../domain/enums';
import { type Services } from '../../services/services';
import { type MemberView as Member } from '../../read-models/member.view';
import { ScimError } from '../protocol/errors';
import { etagOf, expectedVersion, scimRoute, sendScim } from '../protocol/http';
import { normalizePatch } from '../protocol/patch';
import { applyUserPatch } from './user-patch';
import { projectResource } from '../protocol/projection';
import { type ScimRequestScope, nameTarget, scopeOf, summarize, warn } from '../protocol/request';
import { listResponse } from '../protocol/schemas';
import { listRoute, resourceRouter } from '../protocol/resource-router';
import { memberToState, stateToProfile, userResource } from './user-render';
import { readUserBody, setsActive } from './user-body';
import { USER_RESOURCE } from './user-attributes';
import { readUserListQuery } from './user-query';

/** /Users: SCIM Users are members (RFC 7644 §3.3–§3.6); every rule lives in the member services. */
export function usersRouter(services: Services): Router {
  return resourceRouter(new UserHandlers(services));
}

/** The two /Users routes an IdP's sync takes for every user (the lookup, then the create), as usersRouter has them. */
export function userSyncRoutes(services: Services): { list: RequestHandler; create: RequestHandler } {
  const handlers = new UserHandlers(services);
  return { list: listRoute(handlers), create: scimRoute(handlers.create) };
}

class UserHandlers {
  constructor(private readonly services: Services) {}

  /** GET /Users, POST /Users/.search (RFC 7644 §3.4.2, §3.4.3). */
  list = async (res: Response, source: Record<string, unknown>): Promise<void> => {
    const scope = scopeOf(res);
    const q = readUserListQuery(source);
    const page = await this.services.memberProfiles.listForScim(scope.actor, scope.organizationId, q);
    const resources = page.items.map(({ member, groups }) =>
      projectResource(USER_RESOURCE, userResource(member, scope.baseUrl, groups), q),
    );
    sendScim(res, 200, listResponse(resources, page.total, q.startIndex));
  };

  /** POST /Users (RFC 7644 §3.3). */
  create = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    const state = readUserBody(req.body);
    const members = this.services.memberProfiles;
    const member = await members.provision(scope.actor, scope.organizationId, stateToProfile(state), state.active);
    nameTarget(res, { type: 'member', id: member.id });
    summarize(res, `user ${member.id} provisioned as ${member.status}`);
    await this.sendOne(req, res, member, 201);
  };

  /** GET /Users/{id}. */
  get = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    await this.sendOne(req, res, await this.services.memberProfiles.get(scope.actor, scope.organizationId, idOf(req)));
  };

  /** PUT /Users/{id} (RFC 7644 §3.5.1). With no address in the body the member keeps its login email. */
  replace = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    const state = readUserBody(req.body);
    const active = setsActive(req.body) ? state.active : undefined;
    const member = await this.services.memberProfiles.update(
      scope.actor,
      scope.organizationId,
      idOf(req),
      (current) => ({ profile: stateToProfile(state, current.email), active }),
      { expectedVersion: expectedVersion(req) },
    );
    summarize(res, `user ${member.id} replaced (${member.status}${heldNote(res, active, member)})`);
    await this.sendOne(req, res, member);
  };

  /** PATCH /Users/{id} (RFC 7644 §3.5.2): the operations apply, all or none, to the member under its row lock. */
  patch = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    const ops = normalizePatch(req.body);
    if (!ops.length) return this.sendUnchanged(req, res);
    let active: boolean | undefined;
    const member = await this.services.memberProfiles.update(
      scope.actor,
      scope.organizationId,
      idOf(req),
      (current) => {
        const next = applyUserPatch(memberToState(current), ops);
        active = next.active;
        return { profile: stateToProfile(next, current.email), active: next.active };
      },
      { expectedVersion: expectedVersion(req) },
    );
    summarize(
      res,
      `user ${member.id} patched (${ops.length} operations, ${member.status}${heldNote(res, active, member)})`,
    );
    await this.sendOne(req, res, member);
  };

  /**
   * DELETE /Users/{id}. A deletion the deprovisioning safeguard held is answered 204 too (RFC 7644 §3.6 allows no
   * other success): an error would make the identity provider retry it (5xx, 429) or mark the user failed (4xx)
   * until the hold is decided, and every retry would only join the same hold. The request is recorded, not lost; a
   * re-read shows the truth, the user still there, and a person applies (the deletion happens) or discards it.
   */
  remove = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    const kept = await this.services.memberLifecycle.remove(scope.actor, scope.organizationId, idOf(req), {
      expectedVersion: expectedVersion(req),
    });
    if (kept) warn(res, 'deletion held by the deprovisioning safeguard');
    summarize(
      res,
      kept ? `user ${req.params.id} deletion held by the deprovisioning safeguard` : `user ${req.params.id} removed`,
    );
    res.status(204).end();
  };

  /** A PATCH without operations: the user as it is, once If-Match agrees. */
  private async sendUnchanged(req: Request, res: Response): Promise<void> {
    const scope = scopeOf(res);
    const asked = expectedVersion(req);
    const current = await this.services.memberProfiles.get(scope.actor, scope.organizationId, idOf(req));
    if (asked !== undefined && current.version !== asked)
      throw new ScimError(412, undefined, `the user is at version ${current.version}`);
    await this.sendOne(req, res, current);
  }

  private async sendOne(req: Request, res: Response, member: Member, status = 200): Promise<void> {
    const scope = scopeOf(res);
    const [resource] = await this.render(scope, [member], status === 201);
    const headers: Record<string, string> = { ETag: etagOf(member.version) };
    if (status === 201) headers.Location = `${scope.baseUrl}/Users/${member.id}`;
    const params = { attributes: req.query.attributes, excludedAttributes: req.query.excludedAttributes };
    sendScim(res, status, projectResource(USER_RESOURCE, resource, params), headers);
  }

  // `fresh`: a member created by this request is in no group yet; no need to ask the database.
  private async render(scope: ScimRequestScope, list: Member[], fresh = false) {
    const groups =
      list.length && !fresh
        ? await this.services.groups.groupsOf(
            scope.actor,
            scope.organizationId,
            list.map((m) => m.id),
          )
        : new Map();
    return list.map((m) => userResource(m, scope.baseUrl, groups.get(m.id) ?? []));
  }
}

const idOf = (req: Request): string => String(req.params.id);

/**
 * A deactivation asked for that left the member active was held by the deprovisioning safeguard; an activation that
 * left it revoked was held back by an administrator's "keep revoked". Either is the log's warning too.
 */
function heldNote(res: Response, active: boolean | undefined, member: Member): string {
  const held =
    active === false && member.status !== MemberStatus.REVOKED
      ? 'deactivation held by the deprovisioning safeguard'
      : active === true && member.status === MemberStatus.REVOKED && member.revocationHeldAt
        ? 'restore held back: kept revoked by an administrator'
        : null;
  if (!held) return '';
  warn(res, held);
  return `; ${held}`;
}

import { type Request, type Response, type Router } from 'express';
import { type Services } from '../../services/services';
import { type GroupView as Group } from '../../read-models/group.view';
import { ScimError } from '../protocol/errors';
import { etagOf, expectedVersion, sendScim } from '../protocol/http';
import { normalizePatch } from '../protocol/patch';
import { groupPatchPlan } from './group-patch';
import { parseAttributeList, projectResource } from '../protocol/projection';
import { type ScimRequestScope, nameTarget, scopeOf, summarize, warn } from '../protocol/request';
import { listResponse } from '../protocol/schemas';
import { resourceRouter } from '../protocol/resource-router';
import { groupResource } from './group-render';
import { GROUP_RESOURCE } from './group-attributes';
import { readGroupListQuery } from './group-query';
import { isPlainObject } from '../protocol/types';
import { MAX_MEMBER_VALUES, tooLong } from '../protocol/limits';
import { getCaseInsensitive } from '../protocol/values';

/** `attributes` / `excludedAttributes` as the request gives them (RFC 7644 §3.4.2.5). */
type Projection = { attributes?: unknown; excludedAttributes?: unknown };

/** Whether the response needs members (RFC 7644 §3.9: excludedAttributes=members is what Entra sends). */
function wantsMembers(params: Projection): boolean {
  const excluded = parseAttributeList(params.excludedAttributes).map((a) => a.toLowerCase());
  if (excluded.some((a) => a === 'members' || a.endsWith(':members'))) return false;
  const attributes = parseAttributeList(params.attributes).map((a) => a.toLowerCase());
  return (
    !attributes.length || attributes.some((a) => a === 'members' || a.startsWith('members.') || a.endsWith(':members'))
  );
}

/** Reads a POST/PUT Group body: displayName required, externalId, members as `[{value}]`. */
function readGroupBody(body: unknown): { displayName: string; externalId: string | null; memberIds: string[] } {
  if (!isPlainObject(body)) throw new ScimError(400, 'invalidSyntax', 'the request body must be a JSON object');
  const displayName = getCaseInsensitive(body, 'displayName');
  if (typeof displayName !== 'string' || !displayName.trim())
    throw new ScimError(400, 'invalidValue', '"displayName" is required');
  const externalId = getCaseInsensitive(body, 'externalId');
  if (externalId != null && typeof externalId !== 'string')
    throw new ScimError(400, 'invalidValue', '"externalId" must be a string');
  const members = getCaseInsensitive(body, 'members') ?? [];
  if (!Array.isArray(members)) throw new ScimError(400, 'invalidValue', '"members" must be an array');
  if (members.length > MAX_MEMBER_VALUES) throw tooLong('"members" of a group write', MAX_MEMBER_VALUES);
  const memberIds = members.map((m, i) => {
    const value = isPlainObject(m) ? getCaseInsensitive(m, 'value') : undefined;
    if (typeof value !== 'string' || !value) throw new ScimError(400, 'invalidValue', `members[${i}] needs a "value"`);
    return value;
  });
  return { displayName, externalId: (externalId as string | null | undefined) ?? null, memberIds };
}

/**
 * How many members each group of a response shows. RFC 7644 has no paging inside a multi-valued attribute, so a
 * response carries at most `membersPerResponse` member entries in all (default 10,000): a single group shows up
 * to that many (oldest memberships first), a list page shares them equally among its groups (100 groups: 100
 * each). Clients that need a larger group whole page through `GET /Users?filter=groups.value eq "{id}"` and
 * read groups with `excludedAttributes=members`, as Entra does; membership edits are PATCH deltas that never
 * need the list.
 */
export const membersShownPerGroup = (membersPerResponse: number, groupsInResponse: number): number =>
  Math.max(1, Math.floor(membersPerResponse / Math.max(1, groupsInResponse)));

/**
 * Names the member ids a group write skipped (no member of this organization): the provisioning log is where the
 * admin sees why someone did not land in the group, while the IdP gets its success and syncs the rest. The summary
 * carries it, and so does the entry's warning, which the log highlights.
 */
function skippedNote(res: Response, ids: string[]): string {
  if (!ids.length) return '';
  const shown = `${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', ...' : ''}`;
  warn(res, `skipped ${ids.length} unknown member${ids.length === 1 ? '' : 's'}: ${shown}`);
  return `; skipped ${ids.length} member ids that match no member of this organization: ${shown}`;
}

/** /Groups (RFC 7644 §3.3–§3.6); membership edits go to GroupService as set-based deltas. */
export function groupsRouter(services: Services, membersPerResponse: number): Router {
  return resourceRouter(new GroupHandlers(services, membersPerResponse));
}

class GroupHandlers {
  constructor(
    private readonly services: Services,
    private readonly membersPerResponse: number,
  ) {}

  /** GET /Groups, POST /Groups/.search (RFC 7644 §3.4.2, §3.4.3). */
  list = async (res: Response, source: Record<string, unknown>): Promise<void> => {
    const scope = scopeOf(res);
    const q = readGroupListQuery(source);
    const page = await this.services.groups.listForScim(scope.actor, scope.organizationId, q);
    sendScim(res, 200, listResponse(await this.render(scope, page.items, q), page.total, q.startIndex));
  };

  /** POST /Groups (RFC 7644 §3.3). */
  create = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    const body = readGroupBody(req.body);
    const { group, skippedMemberIds } = await this.services.groups.createFromIdp(
      scope.actor,
      scope.organizationId,
      body,
    );
    nameTarget(res, { type: 'group', id: group.id });
    summarize(res, `group ${group.id} created with ${joined(res, body.memberIds, skippedMemberIds)}`);
    await this.sendOne(req, res, group, 201);
  };

  /** GET /Groups/{id}. */
  get = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    await this.sendOne(req, res, await this.services.groups.get(scope.actor, scope.organizationId, idOf(req)));
  };

  /** PUT /Groups/{id} (RFC 7644 §3.5.1): the body's members replace the group's. */
  replace = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    const body = readGroupBody(req.body);
    const { group, skippedMemberIds } = await this.services.groups.updateFromIdp(
      scope.actor,
      scope.organizationId,
      idOf(req),
      { displayName: body.displayName, externalId: body.externalId, members: { replace: body.memberIds } },
      { expectedVersion: expectedVersion(req) },
    );
    summarize(res, `group ${group.id} replaced with ${joined(res, body.memberIds, skippedMemberIds)}`);
    await this.sendOne(req, res, group);
  };

  /** PATCH /Groups/{id} (RFC 7644 §3.5.2): 204 unless attributes were asked for; a large group is not sent for nothing. */
  patch = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    const plan = groupPatchPlan(normalizePatch(req.body));
    const { group, skippedMemberIds } = await this.services.groups.updateFromIdp(
      scope.actor,
      scope.organizationId,
      idOf(req),
      {
        displayName: plan.displayName,
        externalId: plan.externalId,
        members: { replace: plan.replace, removeAll: plan.removeAll, add: plan.add, remove: plan.remove },
      },
      { expectedVersion: expectedVersion(req) },
    );
    summarize(res, `group ${group.id} patched (${planNote(plan)})${skippedNote(res, skippedMemberIds)}`);
    if (req.query.attributes !== undefined || req.query.excludedAttributes !== undefined)
      return this.sendOne(req, res, group);
    res.setHeader('ETag', etagOf(group.version));
    res.status(204).end();
  };

  /** DELETE /Groups/{id}. */
  remove = async (req: Request, res: Response): Promise<void> => {
    const scope = scopeOf(res);
    await this.services.groups.delete(scope.actor, scope.organizationId, idOf(req), {
      expectedVersion: expectedVersion(req),
    });
    summarize(res, `group ${req.params.id} deleted`);
    res.status(204).end();
  };

  private async sendOne(req: Request, res: Response, group: Group, status = 200): Promise<void> {
    const scope = scopeOf(res);
    const params = { attributes: req.query.attributes, excludedAttributes: req.query.excludedAttributes };
    const [resource] = await this.render(scope, [group], params);
    const headers: Record<string, string> = { ETag: etagOf(group.version) };
    if (status === 201) headers.Location = `${scope.baseUrl}/Groups/${group.id}`;
    sendScim(res, status, resource, headers);
  }

  private async render(scope: ScimRequestScope, list: Group[], params: Projection) {
    const perGroup = membersShownPerGroup(this.membersPerResponse, list.length);
    const members =
      list.length && wantsMembers(params)
        ? await this.services.groups.membersOf(
            scope.actor,
            scope.organizationId,
            list.map((g) => g.id),
            perGroup,
          )
        : null;
    return list.map((g) =>
      projectResource(
        GROUP_RESOURCE,
        groupResource(g, scope.baseUrl, members ? (members.get(g.id) ?? []) : undefined),
        params,
      ),
    );
  }
}

const idOf = (req: Request): string => String(req.params.id);

/** `12 members` and what was skipped, for the provisioning log. */
const joined = (res: Response, memberIds: string[], skipped: string[]): string =>
  `${new Set(memberIds).size - skipped.length} members${skippedNote(res, skipped)}`;

/** `+2 -1 =5 cleared`: what a PATCH did to the members. */
const planNote = (plan: ReturnType<typeof groupPatchPlan>): string =>
  `+${plan.add.length} -${plan.remove.length}${plan.replace ? ` =${plan.replace.length}` : ''}${plan.removeAll ? ' cleared' : ''}`;

/**
 * The actions of test/security/privilege.property.test.ts, each as the real clients send it: GraphQL mutations,
 * SCIM writes and the /auth flows, with whatever credential the step's caller holds. A Runner performs one step
 * and collects what it brought back (session cookies, access tokens, SCIM keys) for the oracle.
 */
import request from 'supertest';
import { unique } from '../helpers/factories';
import { PATCH_SCHEMA, USER_SCHEMA } from '../helpers/scim';
import { type Flags, type MemberRow, type Role, type Snapshot, isWorldAddress } from './privilege-model';
import {
  CALLER_SELF,
  type CallerName,
  type Held,
  type RosterName,
  type World,
  deliverMail,
  harness,
  nextWorldAddress,
  orgOf,
  worldInbox,
} from './privilege-world';

// ---------------------------------------------------------------------------------------------------------------
// Actions

export type Target = { roster: RosterName } | { self: true } | { other: number; org: 'A' | 'B' };
export type EmailRef = { fresh: true } | { of: RosterName };
export type Action =
  | { t: 'memberUpdate'; target: Target; role: Role | null; flags: Partial<Flags> | null }
  | { t: 'membersInvite'; org: 'A' | 'B'; email: EmailRef; role: Role; flags: Partial<Flags>; group: number | null }
  | { t: 'lifecycle'; op: 'Confirm' | 'Revoke' | 'Restore' | 'Remove' | 'Reinvite'; target: Target }
  | { t: 'groupCreate'; org: 'A' | 'B'; targets: Target[] }
  | { t: 'groupMembers'; op: 'Add' | 'Remove'; org: 'A' | 'B'; group: number; targets: Target[] }
  | { t: 'memberGroupsSet'; target: Target; group: number }
  | { t: 'groupDelete'; org: 'A' | 'B'; group: number }
  | {
      t: 'scimSettingsUpdate';
      org: 'A' | 'B';
      enabled: boolean | null;
      invite: boolean | null;
      provider: string | null;
    }
  | { t: 'scimApiKeyRotate'; org: 'A' | 'B'; overlapMinutes: number | null }
  | { t: 'scimPreviousKeyRevoke'; org: 'A' | 'B' }
  | { t: 'accessTokenCreate' }
  | { t: 'accessTokenRevoke' | 'sessionRevoke'; of: RosterName }
  | { t: 'invitationAccept'; mail: number }
  | { t: 'scimCreateUser'; org: 'A' | 'B'; email: EmailRef; active: boolean; roleish: boolean }
  | { t: 'scimPutUser'; target: Target; email: EmailRef; active: boolean; roleish: boolean }
  | {
      t: 'scimPatchUser';
      target: Target;
      op: 'email' | 'active' | 'roles' | 'noPath';
      email: EmailRef;
      active: boolean;
    }
  | { t: 'scimDeleteUser'; target: Target }
  | { t: 'scimCreateGroup'; org: 'A' | 'B'; targets: Target[] }
  | { t: 'scimPatchGroup'; org: 'A' | 'B'; group: number; op: 'add' | 'remove' | 'replace'; targets: Target[] }
  | { t: 'scimDeleteGroup'; org: 'A' | 'B'; group: number }
  | { t: 'authToken' }
  | { t: 'authEmailLink'; email: EmailRef }
  | { t: 'authInvitationAccept'; mail: number }
  | { t: 'takeover'; victim: RosterName };

export interface Step {
  caller: CallerName;
  cred: number;
  action: Action;
}

/** What a step brought back: session cookies, access tokens and SCIM keys, with the organization of a key. */
export type Obtained = { kind: 'session' | 'token'; secret: string } | { kind: 'scim'; secret: string; orgId: string };

export class Runner {
  readonly obtained: Obtained[] = [];
  readonly log: string[] = [];
  constructor(
    private readonly w: World,
    private readonly pre: Snapshot,
    private readonly held: Held | null,
  ) {}

  private authorize(r: request.Test): request.Test {
    if (!this.held) return r;
    return this.held.kind === 'session'
      ? r.set('cookie', `orgd_session=${this.held.secret}`)
      : r.set('authorization', `Bearer ${this.held.secret}`);
  }

  private collect(res: request.Response, what: string): request.Response {
    this.log.push(`${what} -> ${res.status}`);
    for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
      const secret = /^(?:__Host-)?orgd_session=([^;]+)/.exec(c)?.[1];
      if (secret) this.obtained.push({ kind: 'session', secret: decodeURIComponent(secret) });
    }
    return res;
  }

  async gql(name: string, type: string, input: Record<string, unknown>, fields = '__typename') {
    const res = await this.authorize(
      request(harness().t.app).post('/graphql').set('content-type', 'application/json'),
    ).send({
      query: `mutation($input: ${type}!) { ${name}(input: $input) { ${fields} } }`,
      variables: { input },
    });
    this.collect(res, `graphql ${name}`);
    return res.body?.data?.[name] ?? null;
  }

  async scim(method: 'post' | 'put' | 'patch' | 'delete', org: string, path: string, body?: unknown) {
    const r = this.authorize(request(harness().t.app)[method](`/scim/v2/${org}${path}`)).set(
      'content-type',
      'application/scim+json',
    );
    return this.collect(await (body === undefined ? r : r.send(JSON.stringify(body))), `SCIM ${method} ${path}`);
  }

  async auth(path: string, body: unknown) {
    let r = request(harness().t.app).post(path).set('content-type', 'application/json');
    if (this.held?.kind === 'session') r = r.set('cookie', `orgd_session=${this.held.secret}`);
    return this.collect(await r.send(body as object), `POST ${path}`);
  }

  /** The member a target names, as the snapshot before the step knows it; null when there is none. */
  member(target: Target, caller: CallerName): MemberRow | null {
    if ('roster' in target) return this.pre.members.get(this.w.roster[target.roster].id) ?? null;
    if ('self' in target) {
      const self = CALLER_SELF[caller];
      return self ? (this.pre.members.get(this.w.roster[self].id) ?? null) : null;
    }
    const rosterIds = new Set(Object.values(this.w.roster).map((r) => r.id));
    const others = [...this.pre.members.values()]
      .filter((m) => m.orgId === orgOf(this.w, target.org) && !rosterIds.has(m.id))
      .sort((x, y) => x.email.localeCompare(y.email) || x.id.localeCompare(y.id));
    return others.length ? others[target.other % others.length] : null;
  }

  memberIds(targets: Target[], caller: CallerName): string[] {
    return targets.flatMap((x) => this.member(x, caller)?.id ?? []);
  }

  group(org: 'A' | 'B', index: number): string | null {
    const ids = [...this.pre.groups.entries()]
      .filter(([, o]) => o === orgOf(this.w, org))
      .map(([id]) => id)
      .sort();
    return ids.length ? ids[index % ids.length] : null;
  }

  email(ref: EmailRef): string {
    return 'fresh' in ref ? nextWorldAddress(this.w) : this.w.roster[ref.of].email;
  }
}

export const scimUser = (email: string, active: boolean, roleish: boolean) => ({
  schemas: [USER_SCHEMA],
  userName: email,
  name: { givenName: 'Eve', familyName: 'Mallory' },
  emails: [{ value: email, type: 'work', primary: true }],
  active,
  ...(roleish
    ? {
        roles: [{ value: 'OWNER', primary: true }],
        userType: 'Owner',
        entitlements: [{ value: 'manageScimKeys' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'OWNER' },
      }
    : {}),
});

export async function perform(r: Runner, w: World, step: Step): Promise<void> {
  const a = step.action;
  const org = (o: 'A' | 'B') => orgOf(w, o);
  const target = (x: Target) => r.member(x, step.caller);
  switch (a.t) {
    case 'memberUpdate': {
      const m = target(a.target);
      if (!m) return;
      await r.gql('memberUpdate', 'MemberUpdateInput', {
        organizationId: m.orgId,
        memberId: m.id,
        ...(a.role ? { role: a.role } : {}),
        ...(a.flags ? { permissions: a.flags } : {}),
      });
      return;
    }
    case 'membersInvite': {
      const group = a.group === null ? null : r.group(a.org, a.group);
      await r.gql('membersInvite', 'MembersInviteInput', {
        organizationId: org(a.org),
        emails: [r.email(a.email)],
        role: a.role,
        permissions: a.flags,
        ...(group ? { groupIds: [group] } : {}),
      });
      return;
    }
    case 'lifecycle': {
      const m = target(a.target);
      if (!m) return;
      const name = `members${a.op}`;
      if (a.op === 'Confirm')
        await r.gql(name, 'MembersConfirmInput', { organizationId: m.orgId, members: [{ memberId: m.id }] });
      else if (a.op === 'Revoke')
        await r.gql(name, 'MembersRevokeInput', { organizationId: m.orgId, memberIds: [m.id] });
      else await r.gql(name, 'MemberIdsInput', { organizationId: m.orgId, memberIds: [m.id] });
      return;
    }
    case 'groupCreate':
      await r.gql('groupCreate', 'GroupCreateInput', {
        organizationId: org(a.org),
        displayName: `g-${unique()}`,
        memberIds: r.memberIds(a.targets, step.caller),
      });
      return;
    case 'groupMembers': {
      const group = r.group(a.org, a.group);
      if (!group) return;
      await r.gql(`groupMembers${a.op}`, 'GroupMembersInput', {
        organizationId: org(a.org),
        groupId: group,
        memberIds: r.memberIds(a.targets, step.caller),
      });
      return;
    }
    case 'memberGroupsSet': {
      const m = target(a.target);
      const group = m && r.group(m.orgId === w.orgs.A ? 'A' : 'B', a.group);
      if (!m) return;
      await r.gql('memberGroupsSet', 'MemberGroupsSetInput', {
        organizationId: m.orgId,
        memberId: m.id,
        groupIds: group ? [group] : [],
      });
      return;
    }
    case 'groupDelete': {
      const group = r.group(a.org, a.group);
      if (group) await r.gql('groupDelete', 'GroupDeleteInput', { organizationId: org(a.org), groupId: group });
      return;
    }
    case 'scimSettingsUpdate': {
      const input: Record<string, unknown> = { organizationId: org(a.org) };
      if (a.enabled !== null) input.enabled = a.enabled;
      if (a.invite !== null) input.inviteUsersAfterProvisioning = a.invite;
      if (a.provider !== null) input.provider = a.provider;
      const payload = await r.gql('scimSettingsUpdate', 'ScimSettingsUpdateInput', input, 'apiKey');
      if (payload?.apiKey) r.obtained.push({ kind: 'scim', secret: payload.apiKey, orgId: org(a.org) });
      return;
    }
    case 'scimApiKeyRotate': {
      // An overlap keeps the previous key working beside the new one for a while.
      const input = {
        organizationId: org(a.org),
        ...(a.overlapMinutes === null ? {} : { previousKeyValidMinutes: a.overlapMinutes }),
      };
      const payload = await r.gql('scimApiKeyRotate', 'ScimApiKeyRotateInput', input, 'apiKey');
      if (payload?.apiKey) r.obtained.push({ kind: 'scim', secret: payload.apiKey, orgId: org(a.org) });
      return;
    }
    case 'scimPreviousKeyRevoke':
      await r.gql('scimPreviousKeyRevoke', 'ScimPreviousKeyRevokeInput', { organizationId: org(a.org) });
      return;
    case 'accessTokenCreate': {
      const payload = await r.gql('accessTokenCreate', 'AccessTokenCreateInput', { name: 'p' }, 'token');
      if (payload?.token) r.obtained.push({ kind: 'token', secret: payload.token });
      return;
    }
    case 'accessTokenRevoke':
    case 'sessionRevoke': {
      // Ids are unguessable in practice; the guard must hold even for a caller that learnt one.
      const userId = await accountOf(w.roster[a.of].email);
      const table = a.t === 'sessionRevoke' ? 'session' : 'api_key';
      const rows = userId
        ? await harness()
            .t.orm.em.fork()
            .getConnection()
            .execute(`select id from ${table} where user_id = ? and revoked_at is null order by created_at limit 1`, [
              userId,
            ])
        : [];
      if (rows.length)
        await r.gql(a.t, a.t === 'sessionRevoke' ? 'SessionRevokeInput' : 'AccessTokenRevokeInput', { id: rows[0].id });
      return;
    }
    case 'invitationAccept': {
      const { invitations } = worldInbox(w);
      if (invitations.length)
        await r.gql('invitationAccept', 'InvitationAcceptInput', { token: invitations[a.mail % invitations.length] });
      return;
    }
    case 'scimCreateUser':
      await r.scim('post', org(a.org), '/Users', scimUser(r.email(a.email), a.active, a.roleish));
      return;
    case 'scimPutUser': {
      const m = target(a.target);
      if (m) await r.scim('put', m.orgId, `/Users/${m.id}`, scimUser(r.email(a.email), a.active, a.roleish));
      return;
    }
    case 'scimPatchUser': {
      const m = target(a.target);
      if (!m) return;
      const email = r.email(a.email);
      const ops = {
        email: [{ op: 'replace', path: 'emails', value: [{ value: email, type: 'work', primary: true }] }],
        active: [{ op: 'replace', path: 'active', value: a.active }],
        roles: [
          { op: 'add', path: 'roles', value: [{ value: 'OWNER', primary: true }] },
          { op: 'replace', path: 'userType', value: 'Owner' },
        ],
        noPath: [
          { op: 'Replace', value: { userName: email, 'emails[type eq "work"].value': email, active: a.active } },
        ],
      }[a.op];
      await r.scim('patch', m.orgId, `/Users/${m.id}`, { schemas: [PATCH_SCHEMA], Operations: ops });
      return;
    }
    case 'scimDeleteUser': {
      const m = target(a.target);
      if (m) await r.scim('delete', m.orgId, `/Users/${m.id}`);
      return;
    }
    case 'scimCreateGroup':
      await r.scim('post', org(a.org), '/Groups', {
        displayName: `sg-${unique()}`,
        members: r.memberIds(a.targets, step.caller).map((value) => ({ value })),
      });
      return;
    case 'scimPatchGroup': {
      const group = r.group(a.org, a.group);
      if (!group) return;
      const ids = r.memberIds(a.targets, step.caller);
      const ops =
        a.op === 'remove'
          ? ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` }))
          : [{ op: a.op, path: 'members', value: ids.map((value) => ({ value })) }];
      await r.scim('patch', org(a.org), `/Groups/${group}`, { schemas: [PATCH_SCHEMA], Operations: ops });
      return;
    }
    case 'scimDeleteGroup': {
      const group = r.group(a.org, a.group);
      if (group) await r.scim('delete', org(a.org), `/Groups/${group}`);
      return;
    }
    case 'authToken':
      // Whatever secret the caller holds (an access token, a SCIM key, a session's secret) offered as a token.
      await r.auth('/auth/token', { token: heldOf(w, step)?.secret ?? 'orgd_nothing' });
      return;
    case 'authEmailLink': {
      const email = r.email(a.email);
      await r.auth('/auth/email-link', { email });
      await deliverMail();
      const { links } = worldInbox(w);
      if (isWorldAddress(email) && links.length) await r.auth('/auth/email-link/verify', { token: links.at(-1) });
      return;
    }
    case 'authInvitationAccept': {
      const { invitations } = worldInbox(w);
      if (invitations.length)
        await r.auth('/auth/invitation/accept', { token: invitations[a.mail % invitations.length] });
      return;
    }
    case 'takeover': {
      // Provision an attacker's mailbox, read its invitation, point the member at the victim's address, accept.
      const held = heldOf(w, step);
      if (held?.kind !== 'scim') return;
      const mailbox = nextWorldAddress(w);
      const created = await r.scim('post', held.orgId, '/Users', scimUser(mailbox, true, false));
      if (created.status !== 201) return;
      await deliverMail();
      const token = worldInbox(w).invitations.at(-1);
      const victim = w.roster[a.victim].email;
      await r.scim('patch', held.orgId, `/Users/${created.body.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'emails', value: [{ value: victim, type: 'work', primary: true }] }],
      });
      if (token) await r.auth('/auth/invitation/accept', { token });
      return;
    }
  }
}

export const heldOf = (w: World, step: Step): Held | null => {
  const creds = w.callers[step.caller].creds;
  return creds.length ? creds[step.cred % creds.length] : null;
};

export async function accountOf(email: string): Promise<string | null> {
  const rows = await harness()
    .t.orm.em.fork()
    .getConnection()
    .execute(`select id from app_user where lower(email) = lower(?)`, [email]);
  return rows[0]?.id ?? null;
}

/** The account a session cookie or an access token acts as, asked of the API itself; null when it acts as nobody. */
export async function actsAs(o: Obtained): Promise<string | null> {
  const r = request(harness().t.app).post('/graphql').set('content-type', 'application/json');
  const res = await (
    o.kind === 'session' ? r.set('cookie', `orgd_session=${o.secret}`) : r.set('authorization', `Bearer ${o.secret}`)
  ).send({ query: '{ viewer { user { id } } }' });
  return res.body?.data?.viewer?.user?.id ?? null;
}

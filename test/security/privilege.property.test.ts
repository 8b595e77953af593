/**
 * No path to a privilege one was not given. Random sequences of (caller × action × target) go through the real app
 * over HTTP — GraphQL mutations on members, roles, flags, groups, SCIM settings, keys and tokens; SCIM Users and
 * Groups writes (with role-ish attributes and e-mail changes); the /auth sign-in flows with tokens read from a real
 * SMTP receiver — and after every step an independent model (privilege-model.ts) judges every change in the
 * database and every credential the caller obtained.
 *
 * Callers: an OWNER, an ADMIN, a CUSTOM member with random flags and a USER of organization A; the owner of
 * organization B; an anonymous caller; the SCIM keys of A and of B. Each run builds both organizations afresh.
 * The attacker's mailboxes (`@attacker.test`) are readable by every caller; every other address is its account's.
 *
 * Runs: PRIVILEGE_PROPERTY_RUNS (default 15, up to 10 steps each). Seed: FC_SEED, else random; printed at the start and, by fast-check,
 * in the failure message (replay with FC_SEED=<seed>).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { PATCH_SCHEMA, USER_SCHEMA } from '../helpers/scim';
import { SmtpReceiver } from '../helpers/smtp';
import {
  type Credential,
  FLAGS,
  type Flag,
  type Flags,
  type MemberRow,
  ROLES,
  type Role,
  type Snapshot,
  WORLD_DOMAIN,
  authorityIn,
  changed,
  controls,
  credentialAccount,
  holds,
  isWorldAddress,
  violations,
} from './privilege-model';

const RUNS = Number(process.env.PRIVILEGE_PROPERTY_RUNS ?? 15);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const LOTS = '1000000'; // the limiters are not under test here

const smtp = new SmtpReceiver();
let t: TestApp;

beforeAll(async () => {
  console.log(`[privilege property] seed ${SEED} (replay with FC_SEED=${SEED}), ${RUNS} runs`);
  const port = await smtp.start();
  t = await createTestApp({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SCIM_RATE_LIMIT_PER_SECOND: LOTS,
    SCIM_RATE_LIMIT_BURST: LOTS,
    GRAPHQL_RATE_LIMIT: LOTS,
    AUTH_FAILURE_RATE_LIMIT: LOTS,
    SIGN_IN_RATE_LIMIT: LOTS,
    SIGN_IN_TARGET_RATE_LIMIT: LOTS,
  });
}, 60_000);
afterAll(async () => {
  await t?.dispatcher.stop(); // closes its SMTP connection
  await t?.close();
  await smtp.stop();
});

const sha256 = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------------------------------
// The world of one run

const ROSTER = ['ownerA', 'owner2A', 'adminA', 'customA', 'userA', 'invitedA', 'ownerB', 'adminB', 'userB'] as const;
type RosterName = (typeof ROSTER)[number];
const ACCOUNTS = ROSTER.filter((n) => n !== 'invitedA');
const CALLERS = ['OWNER_A', 'ADMIN_A', 'CUSTOM_A', 'USER_A', 'OWNER_B', 'ANON', 'SCIM_A', 'SCIM_B'] as const;
type CallerName = (typeof CALLERS)[number];
const CALLER_SELF: Partial<Record<CallerName, RosterName>> = {
  OWNER_A: 'ownerA',
  ADMIN_A: 'adminA',
  CUSTOM_A: 'customA',
  USER_A: 'userA',
  OWNER_B: 'ownerB',
};

type Held = { kind: 'token' | 'session'; secret: string } | { kind: 'scim'; secret: string; orgId: string };
interface Caller {
  name: CallerName;
  accounts: Set<string>;
  creds: Held[];
}
interface World {
  run: string;
  orgs: { A: string; B: string };
  roster: Record<RosterName, { id: string; orgId: string; email: string }>;
  callers: Record<CallerName, Caller>;
  worldCount: number;
}

const orgOf = (w: World, o: 'A' | 'B') => w.orgs[o];
const rosterEmail = (name: string, run: string) => `${name.toLowerCase()}-${run}@example.test`;
const nextWorldAddress = (w: World) => `w${String(w.worldCount++).padStart(3, '0')}-${w.run}${WORLD_DOMAIN}`;

/**
 * A confirmed member with an access token, cheaply: invited through the service, its account and token made by the
 * token service (as `orgctl token create` does), then accepted and confirmed in one statement (the lifecycle is not
 * what this file tests; building a world per run through every step would cost seconds).
 */
async function confirmed(orgId: string, email: string, role: Role, flags: Partial<Flags> = {}) {
  const { member } = await t.services.members.invite(cliActor(), orgId, {
    email,
    role: role as MemberRole,
    permissions: flags,
  });
  const { token } = await t.services.tokens.create(cliActor(), { email });
  const [user] = await t.orm.em
    .fork()
    .getConnection()
    .execute(
      `update member set status = 'CONFIRMED', user_id = (select id from app_user where lower(email) = lower(?))
        where id = ? returning user_id`,
      [email, member.id],
    );
  return { id: member.id, orgId, email, userId: user.user_id as string, token };
}

async function buildWorld(customFlags: Flags): Promise<World> {
  const run = unique();
  const [orgA, orgB] = await Promise.all(
    (['ownerA', 'ownerB'] as const).map((owner) =>
      t.services.organizations.create(cliActor(), {
        name: `${owner} ${run}`,
        ownerEmail: rosterEmail(owner, run),
        ownerName: owner,
      }),
    ),
  );
  const A = orgA.organization.id;
  const B = orgB.organization.id;
  const [scimA, scimB, owner2A, adminA, customA, userA, adminB, userB, invited] = await Promise.all([
    t.services.scimSettings.enable(cliActor(), A, { inviteUsersAfterProvisioning: true }).then((r) => r.apiKey),
    t.services.scimSettings.enable(cliActor(), B, { inviteUsersAfterProvisioning: true }).then((r) => r.apiKey),
    confirmed(A, rosterEmail('owner2A', run), 'OWNER'),
    confirmed(A, rosterEmail('adminA', run), 'ADMIN'),
    confirmed(A, rosterEmail('customA', run), 'CUSTOM', customFlags),
    confirmed(A, rosterEmail('userA', run), 'USER'),
    confirmed(B, rosterEmail('adminB', run), 'ADMIN'),
    confirmed(B, rosterEmail('userB', run), 'USER'),
    t.services.members.invite(cliActor(), A, { email: rosterEmail('invitedA', run), role: 'ADMIN' as MemberRole }),
  ]);
  // One group per organization, so group actions have something to act on from the first step.
  await Promise.all([
    t.services.groups.create(cliActor(), A, { displayName: `team ${run}`, memberIds: [userA.id, customA.id] }),
    t.services.groups.create(cliActor(), B, { displayName: `team ${run}`, memberIds: [userB.id] }),
  ]);
  const owners = await t.orm.em
    .fork()
    .getConnection()
    .execute(`select id, user_id from member where id in (?, ?)`, [orgA.owner.id, orgB.owner.id]);
  const ownerUser = (memberId: string): string => owners.find((o: any) => o.id === memberId)!.user_id;
  const accountCaller = (name: CallerName, userId: string, token: string): Caller => ({
    name,
    accounts: new Set([userId]),
    creds: [{ kind: 'token', secret: token }],
  });
  const callers: Record<CallerName, Caller> = {
    OWNER_A: accountCaller('OWNER_A', ownerUser(orgA.owner.id), orgA.ownerToken),
    ADMIN_A: accountCaller('ADMIN_A', adminA.userId, adminA.token),
    CUSTOM_A: accountCaller('CUSTOM_A', customA.userId, customA.token),
    USER_A: accountCaller('USER_A', userA.userId, userA.token),
    OWNER_B: accountCaller('OWNER_B', ownerUser(orgB.owner.id), orgB.ownerToken),
    ANON: { name: 'ANON', accounts: new Set(), creds: [] },
    SCIM_A: { name: 'SCIM_A', accounts: new Set(), creds: [{ kind: 'scim', secret: scimA, orgId: A }] },
    SCIM_B: { name: 'SCIM_B', accounts: new Set(), creds: [{ kind: 'scim', secret: scimB, orgId: B }] },
  };
  const strip = (m: { id: string; orgId: string; email: string }) => ({ id: m.id, orgId: m.orgId, email: m.email });
  return {
    run,
    orgs: { A, B },
    roster: {
      ownerA: { id: orgA.owner.id, orgId: A, email: rosterEmail('ownerA', run) },
      owner2A: strip(owner2A),
      adminA: strip(adminA),
      customA: strip(customA),
      userA: strip(userA),
      invitedA: { id: invited.member.id, orgId: A, email: invited.member.email },
      ownerB: { id: orgB.owner.id, orgId: B, email: rosterEmail('ownerB', run) },
      adminB: strip(adminB),
      userB: strip(userB),
    },
    callers,
    worldCount: 0,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Snapshots (the oracle's input, read straight from the tables)

async function snapshot(w: World): Promise<Snapshot> {
  const db = t.orm.em.fork().getConnection();
  const orgs = [w.orgs.A, w.orgs.B];
  const [members, groups, links, scim, keys, users, sessions, tokens] = await Promise.all([
    db.execute(
      `select id, organization_id, user_id, lower(email) as email, role, permissions, status from member where organization_id in (?, ?)`,
      orgs,
    ),
    db.execute(`select id, organization_id from member_group where organization_id in (?, ?)`, orgs),
    db.execute(
      `select gm.group_id, gm.member_id, g.organization_id from group_membership gm join member_group g on g.id = gm.group_id where g.organization_id in (?, ?)`,
      orgs,
    ),
    db.execute(
      `select organization_id, enabled, provider, invite_users_after_provisioning from scim_settings where organization_id in (?, ?)`,
      orgs,
    ),
    db.execute(
      `select id, organization_id, hash from api_key where kind = 'SCIM' and organization_id in (?, ?)
         and (revoked_at is null or revoked_at > now()) and (expires_at is null or expires_at > now())`,
      orgs,
    ),
    db.execute(`select id, lower(email) as email from app_user`),
    db.execute(
      `select id, user_id, hash from session where revoked_at is null
         and last_seen_at > now() - interval '12 hours' and created_at > now() - interval '7 days'`,
    ),
    db.execute(
      `select id, user_id, hash from api_key where kind = 'ACCESS_TOKEN'
         and (revoked_at is null or revoked_at > now()) and (expires_at is null or expires_at > now())`,
    ),
  ]);
  const flags = (p: Partial<Flags> | null): Flags =>
    Object.fromEntries(FLAGS.map((f) => [f, p?.[f] === true])) as unknown as Flags;
  return {
    members: new Map(
      members.map((r: any): [string, MemberRow] => [
        r.id,
        {
          id: r.id,
          orgId: r.organization_id,
          userId: r.user_id,
          email: r.email,
          role: r.role,
          flags: flags(typeof r.permissions === 'string' ? JSON.parse(r.permissions) : r.permissions),
          status: r.status,
        },
      ]),
    ),
    groups: new Map(groups.map((r: any) => [r.id, r.organization_id])),
    links: new Map(links.map((r: any) => [`${r.group_id}|${r.member_id}`, r.organization_id])),
    scim: new Map(
      scim.map((r: any) => [
        r.organization_id,
        { enabled: r.enabled, provider: r.provider, invite: r.invite_users_after_provisioning },
      ]),
    ),
    scimKeys: new Map(keys.map((r: any) => [r.id, { orgId: r.organization_id, hash: r.hash }])),
    users: new Map(users.map((r: any) => [r.id, r.email])),
    sessions: new Map(sessions.map((r: any) => [r.id, { userId: r.user_id, hash: r.hash }])),
    tokens: new Map(tokens.map((r: any) => [r.id, { userId: r.user_id, hash: r.hash }])),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Mail: what the attacker's mailboxes received (every other mailbox is out of reach)

async function deliverMail(): Promise<void> {
  await t.services.signIn.emailLinksSettled();
  while ((await t.dispatcher.drainOnce()) > 0);
}

/** Invitation tokens and sign-in link tokens mailed to the attacker's addresses of this run, oldest first. */
function worldInbox(w: World): { invitations: string[]; links: string[] } {
  const mails = smtp.messages.filter((m) => m.to.some((to) => isWorldAddress(to) && to.includes(w.run)));
  return {
    invitations: mails.flatMap((m) => /\n(inv_[\w-]+)\s*\n/.exec(m.text)?.[1] ?? []),
    links: mails.flatMap((m) => /\/sign-in\/link\?token=([\w%-]+)/.exec(m.text)?.[1] ?? []).map(decodeURIComponent),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Actions

type Target = { roster: RosterName } | { self: true } | { other: number; org: 'A' | 'B' };
type EmailRef = { fresh: true } | { of: RosterName };
type Action =
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

interface Step {
  caller: CallerName;
  cred: number;
  action: Action;
}

/** What a step brought back: session cookies, access tokens and SCIM keys, with the organization of a key. */
type Obtained = { kind: 'session' | 'token'; secret: string } | { kind: 'scim'; secret: string; orgId: string };

class Runner {
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
    const res = await this.authorize(request(t.app).post('/graphql').set('content-type', 'application/json')).send({
      query: `mutation($input: ${type}!) { ${name}(input: $input) { ${fields} } }`,
      variables: { input },
    });
    this.collect(res, `graphql ${name}`);
    return res.body?.data?.[name] ?? null;
  }

  async scim(method: 'post' | 'put' | 'patch' | 'delete', org: string, path: string, body?: unknown) {
    const r = this.authorize(request(t.app)[method](`/scim/v2/${org}${path}`)).set(
      'content-type',
      'application/scim+json',
    );
    return this.collect(await (body === undefined ? r : r.send(JSON.stringify(body))), `SCIM ${method} ${path}`);
  }

  async auth(path: string, body: unknown) {
    let r = request(t.app).post(path).set('content-type', 'application/json');
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

const scimUser = (email: string, active: boolean, roleish: boolean) => ({
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

async function perform(r: Runner, w: World, step: Step): Promise<void> {
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
        ? await t.orm.em
            .fork()
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

const heldOf = (w: World, step: Step): Held | null => {
  const creds = w.callers[step.caller].creds;
  return creds.length ? creds[step.cred % creds.length] : null;
};

async function accountOf(email: string): Promise<string | null> {
  const rows = await t.orm.em
    .fork()
    .getConnection()
    .execute(`select id from app_user where lower(email) = lower(?)`, [email]);
  return rows[0]?.id ?? null;
}

/** The account a session cookie or an access token acts as, asked of the API itself; null when it acts as nobody. */
async function actsAs(o: Obtained): Promise<string | null> {
  const r = request(t.app).post('/graphql').set('content-type', 'application/json');
  const res = await (
    o.kind === 'session' ? r.set('cookie', `orgd_session=${o.secret}`) : r.set('authorization', `Bearer ${o.secret}`)
  ).send({ query: '{ viewer { user { id } } }' });
  return res.body?.data?.viewer?.user?.id ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const orgArb = fc.constantFrom<'A' | 'B'>('A', 'B');
const rosterArb = fc.constantFrom(...ROSTER);
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  { arbitrary: rosterArb.map((roster) => ({ roster })), weight: 5 },
  { arbitrary: fc.constant({ self: true as const }), weight: 2 },
  { arbitrary: fc.record({ other: fc.nat(7), org: orgArb }), weight: 3 },
);
const targetsArb = fc.array(targetArb, { minLength: 1, maxLength: 3 });
const emailArb: fc.Arbitrary<EmailRef> = fc.oneof(
  { arbitrary: fc.constant({ fresh: true as const }), weight: 2 },
  { arbitrary: fc.constantFrom(...ACCOUNTS, 'invitedA' as const).map((of) => ({ of })), weight: 1 },
);
const roleArb = fc.constantFrom(...ROLES);
const flagsArb: fc.Arbitrary<Flags> = fc.record(
  Object.fromEntries(FLAGS.map((f) => [f, fc.boolean()])) as Record<Flag, fc.Arbitrary<boolean>>,
);
const someFlagsArb = fc.record(
  Object.fromEntries(FLAGS.map((f) => [f, fc.boolean()])) as Record<Flag, fc.Arbitrary<boolean>>,
  { requiredKeys: [] },
);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      t: fc.constant('memberUpdate' as const),
      target: targetArb,
      role: opt(roleArb),
      flags: opt(someFlagsArb),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('membersInvite' as const),
      org: orgArb,
      email: emailArb,
      role: roleArb,
      flags: someFlagsArb,
      group: opt(fc.nat(3)),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('lifecycle' as const),
      op: fc.constantFrom(
        'Confirm' as const,
        'Revoke' as const,
        'Restore' as const,
        'Remove' as const,
        'Reinvite' as const,
      ),
      target: targetArb,
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ t: fc.constant('groupCreate' as const), org: orgArb, targets: targetsArb }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('groupMembers' as const),
      op: fc.constantFrom('Add' as const, 'Remove' as const),
      org: orgArb,
      group: fc.nat(3),
      targets: targetsArb,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ t: fc.constant('memberGroupsSet' as const), target: targetArb, group: fc.nat(3) }),
    weight: 1,
  },
  { arbitrary: fc.record({ t: fc.constant('groupDelete' as const), org: orgArb, group: fc.nat(3) }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('scimSettingsUpdate' as const),
      org: orgArb,
      enabled: opt(fc.boolean()),
      invite: opt(fc.boolean()),
      provider: opt(fc.constantFrom('okta', 'jumpcloud', 'default')),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('scimApiKeyRotate' as const),
      org: orgArb,
      overlapMinutes: opt(fc.constantFrom(0, 30)),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ t: fc.constant('scimPreviousKeyRevoke' as const), org: orgArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('accessTokenCreate' as const) }), weight: 1 },
  {
    arbitrary: fc.record({ t: fc.constantFrom('accessTokenRevoke' as const, 'sessionRevoke' as const), of: rosterArb }),
    weight: 1,
  },
  { arbitrary: fc.record({ t: fc.constant('invitationAccept' as const), mail: fc.nat(5) }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('scimCreateUser' as const),
      org: orgArb,
      email: emailArb,
      active: fc.boolean(),
      roleish: fc.boolean(),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('scimPutUser' as const),
      target: targetArb,
      email: emailArb,
      active: fc.boolean(),
      roleish: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('scimPatchUser' as const),
      target: targetArb,
      op: fc.constantFrom('email' as const, 'active' as const, 'roles' as const, 'noPath' as const),
      email: emailArb,
      active: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ t: fc.constant('scimDeleteUser' as const), target: targetArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('scimCreateGroup' as const), org: orgArb, targets: targetsArb }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('scimPatchGroup' as const),
      org: orgArb,
      group: fc.nat(3),
      op: fc.constantFrom('add' as const, 'remove' as const, 'replace' as const),
      targets: targetsArb,
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ t: fc.constant('scimDeleteGroup' as const), org: orgArb, group: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('authToken' as const) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('authEmailLink' as const), email: emailArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('authInvitationAccept' as const), mail: fc.nat(5) }), weight: 2 },
);

/**
 * Who performs an action: mostly callers that speak its transport (so that many steps change something), and
 * every other caller too (so that refusals are probed).
 */
const ACCOUNT_CALLERS = CALLERS.filter((c) => c !== 'ANON' && !c.startsWith('SCIM'));
const callerFor = (action: Action): fc.Arbitrary<CallerName> => {
  const likely: readonly CallerName[] =
    action.t.startsWith('scim') && !/Settings|ApiKey/.test(action.t)
      ? ['SCIM_A', 'SCIM_B']
      : action.t.startsWith('auth')
        ? ['ANON', ...ACCOUNT_CALLERS]
        : ACCOUNT_CALLERS;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...likely), weight: 3 },
    { arbitrary: fc.constantFrom(...CALLERS), weight: 1 },
  );
};

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: actionArb.chain((action) =>
      fc.record({ caller: callerFor(action), cred: fc.nat(3), action: fc.constant(action) }),
    ),
    weight: 12,
  },
  {
    // The invitation takeover, always through a SCIM key, against any account.
    arbitrary: fc.record({
      caller: fc.constantFrom<CallerName>('SCIM_A', 'SCIM_B'),
      cred: fc.constant(0),
      action: fc.record({ t: fc.constant('takeover' as const), victim: fc.constantFrom(...ACCOUNTS) }),
    }),
    weight: 1,
  },
);

// ---------------------------------------------------------------------------------------------------------------
// One step: run it, then judge every change and every credential obtained

const stats = { steps: 0, changed: 0, obtained: 0 };

async function runStep(w: World, step: Step, pre: Snapshot): Promise<{ post: Snapshot; problems: string[] }> {
  const caller = w.callers[step.caller];
  const held = heldOf(w, step);
  const credential: Credential = !held
    ? { kind: 'none' }
    : held.kind === 'scim'
      ? { kind: 'scim', hash: sha256(held.secret), orgId: held.orgId }
      : { kind: held.kind, hash: sha256(held.secret) };
  const runner = new Runner(w, pre, held);
  await perform(runner, w, step);
  await deliverMail();
  const post = await snapshot(w);
  const ctx = { accounts: caller.accounts, credential };
  const problems = violations(pre, post, ctx);

  // Credentials the caller obtained: each must act as an account it controls, or be a key its authority mints.
  for (const o of runner.obtained) {
    if (o.kind === 'scim') {
      if (!holds(authorityIn(pre, credential, o.orgId), 'manageScimKeys'))
        problems.push(`obtained a SCIM key of ${o.orgId} without owner authority`);
      else caller.creds.push(o);
      continue;
    }
    const userId = await actsAs(o);
    if (!userId) continue;
    if (o.kind === 'token' && userId !== credentialAccount(pre, credential))
      problems.push(`accessTokenCreate gave a token of ${post.users.get(userId)}, not of the caller`);
    if (!controls(ctx, post.users, userId)) {
      problems.push(`obtained a ${o.kind} acting as ${post.users.get(userId)}, an account it does not control`);
      continue;
    }
    stats.obtained++;
    caller.accounts.add(userId);
    caller.creds.push(o);
  }
  stats.steps++;
  if (changed(pre, post)) stats.changed++;
  if (problems.length)
    problems.unshift(
      `${step.caller} (${held?.kind ?? 'no credential'}) ${JSON.stringify(step.action)}: ${runner.log.join('; ')}`,
    );
  return { post, problems };
}

describe(`privilege: no caller gains an account, a role or a permission it was not given (${engineName()})`, () => {
  it('random (caller × action × target) sequences over GraphQL, SCIM and /auth', async () => {
    await fc.assert(
      fc.asyncProperty(flagsArb, fc.array(stepArb, { minLength: 1, maxLength: 10 }), async (customFlags, steps) => {
        const w = await buildWorld(customFlags);
        let pre = await snapshot(w);
        for (const step of steps) {
          const { post, problems } = await runStep(w, step, pre);
          if (problems.length) throw new Error(problems.join('\n'));
          pre = post;
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(
      `[privilege property] ${stats.steps} steps, ${stats.changed} changed the database, ${stats.obtained} credentials obtained legitimately`,
    );
    expect(stats.changed).toBeGreaterThan(0);
  }, 600_000);

  // A victim in the attacker's own organization (its address is taken there: a conflict), and two in another.
  it.each(['ownerA', 'ownerB', 'userB'] as const)(
    'SCIM invites the attacker, renames the invitation to the address of %s, the attacker accepts: no session, no role',
    async (victimName) => {
      const w = await buildWorld({ ...Object.fromEntries(FLAGS.map((f) => [f, false])), manageUsers: true } as Flags);
      const victim = w.roster[victimName];
      const victimId = (await accountOf(victim.email))!;
      const scimKey = w.callers.SCIM_A.creds[0].secret;
      const send = (method: 'post' | 'patch', path: string, body: unknown) => {
        const agent = request(t.app);
        return agent[method](`/scim/v2/${w.orgs.A}${path}`)
          .set('authorization', `Bearer ${scimKey}`)
          .set('content-type', 'application/scim+json')
          .send(JSON.stringify(body));
      };
      const pre = await snapshot(w);

      const mailbox = nextWorldAddress(w);
      const created = await send('post', '/Users', scimUser(mailbox, true, false));
      expect(created.status).toBe(201);
      await deliverMail();
      const token = worldInbox(w).invitations.at(-1);
      expect(token).toBeDefined();
      const patched = await send('patch', `/Users/${created.body.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'emails', value: [{ value: victim.email, type: 'work', primary: true }] }],
      });
      expect(patched.status).toBeLessThan(500);

      const accepted = await request(t.app)
        .post('/auth/invitation/accept')
        .set('content-type', 'application/json')
        .send({ token });
      const cookie = ([] as string[])
        .concat(accepted.headers['set-cookie'] ?? [])
        .map((c) => /^(?:__Host-)?orgd_session=([^;]+)/.exec(c)?.[1])
        .find(Boolean);
      const actingAs = cookie ? await actsAs({ kind: 'session', secret: decodeURIComponent(cookie) }) : null;
      const outcome = {
        patched: patched.status < 300,
        accepted: accepted.status >= 200 && accepted.status < 300,
        sessionFor: actingAs === null ? null : actingAs === victimId ? 'victim' : 'someone else',
      };
      if (outcome.patched) {
        // The invitation now names the victim's address: the attacker's token is refused and signs nobody in.
        expect(outcome).toEqual({ patched: true, accepted: false, sessionFor: null });
      } else {
        // The address is taken in this organization (a conflict): the token is still the attacker's own.
        expect(outcome.sessionFor).not.toBe('victim');
      }
      await deliverMail();
      const post = await snapshot(w);
      const victimSessions = (s: Snapshot) => [...s.sessions.values()].filter((x) => x.userId === victimId).length;
      expect(victimSessions(post)).toBe(victimSessions(pre));
      // The victim's account is linked to no membership of A that it did not hold before.
      const linked = (s: Snapshot) =>
        [...s.members.values()].filter((m) => m.userId === victimId).map((m) => `${m.orgId}:${m.role}:${m.status}`);
      expect(linked(post).sort()).toEqual(linked(pre).sort());
      // And the model agrees: nothing changed that SCIM and an anonymous caller had no authority for.
      expect(
        violations(pre, post, {
          accounts: new Set(),
          credential: { kind: 'scim', hash: sha256(scimKey), orgId: w.orgs.A },
        }),
      ).toEqual([]);
    },
    60_000,
  );
});

/**
 * The world of one run of test/security/privilege.property.test.ts: two organizations with a member of every role,
 * the callers with their credentials, snapshots of the tables the oracle (privilege-model.ts) judges, and the
 * attacker's mailboxes as the SMTP receiver got them.
 */
import { createHash } from 'node:crypto';
import { cliActor } from '../../src/domain/actor';
import { type MemberRole } from '../../src/domain/enums';
import { type TestApp } from '../helpers/app';
import { unique } from '../helpers/factories';
import { type SmtpReceiver } from '../helpers/smtp';
import {
  FLAGS,
  type Flags,
  type MemberRow,
  type Role,
  type Snapshot,
  WORLD_DOMAIN,
  isWorldAddress,
} from './privilege-model';

let bound: { t: TestApp; smtp: SmtpReceiver } | null = null;

/** The test file's app and SMTP receiver (one of each per file), bound in its beforeAll. */
export function bindHarness(t: TestApp, smtp: SmtpReceiver): void {
  bound = { t, smtp };
}

export function harness(): { t: TestApp; smtp: SmtpReceiver } {
  if (!bound) throw new Error('bindHarness(t, smtp) first');
  return bound;
}

export const sha256 = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

// ---------------------------------------------------------------------------------------------------------------
// The world of one run

export const ROSTER = [
  'ownerA',
  'owner2A',
  'adminA',
  'customA',
  'userA',
  'invitedA',
  'ownerB',
  'adminB',
  'userB',
] as const;
export type RosterName = (typeof ROSTER)[number];
export const ACCOUNTS = ROSTER.filter((n) => n !== 'invitedA');
export const CALLERS = ['OWNER_A', 'ADMIN_A', 'CUSTOM_A', 'USER_A', 'OWNER_B', 'ANON', 'SCIM_A', 'SCIM_B'] as const;
export type CallerName = (typeof CALLERS)[number];
export const CALLER_SELF: Partial<Record<CallerName, RosterName>> = {
  OWNER_A: 'ownerA',
  ADMIN_A: 'adminA',
  CUSTOM_A: 'customA',
  USER_A: 'userA',
  OWNER_B: 'ownerB',
};

export type Held = { kind: 'token' | 'session'; secret: string } | { kind: 'scim'; secret: string; orgId: string };
export interface Caller {
  name: CallerName;
  accounts: Set<string>;
  creds: Held[];
}
export interface World {
  run: string;
  orgs: { A: string; B: string };
  roster: Record<RosterName, { id: string; orgId: string; email: string }>;
  callers: Record<CallerName, Caller>;
  worldCount: number;
}

export const orgOf = (w: World, o: 'A' | 'B') => w.orgs[o];
export const rosterEmail = (name: string, run: string) => `${name.toLowerCase()}-${run}@example.test`;
export const nextWorldAddress = (w: World) => `w${String(w.worldCount++).padStart(3, '0')}-${w.run}${WORLD_DOMAIN}`;

/**
 * A confirmed member with an access token, cheaply: invited through the service, its account and token made by the
 * token service (as `orgctl token create` does), then accepted and confirmed in one statement (the lifecycle is not
 * what this file tests; building a world per run through every step would cost seconds).
 */
export async function confirmed(orgId: string, email: string, role: Role, flags: Partial<Flags> = {}) {
  const { member } = await harness().t.services.memberLifecycle.invite(cliActor(), orgId, {
    email,
    role: role as MemberRole,
    permissions: flags,
  });
  const { token } = await harness().t.services.tokens.create(cliActor(), { email });
  const [user] = await harness()
    .t.orm.em.fork()
    .getConnection()
    .execute(
      `update member set status = 'CONFIRMED', user_id = (select id from app_user where lower(email) = lower(?))
        where id = ? returning user_id`,
      [email, member.id],
    );
  return { id: member.id, orgId, email, userId: user.user_id as string, token };
}

export async function buildWorld(customFlags: Flags): Promise<World> {
  const run = unique();
  const [orgA, orgB] = await Promise.all(
    (['ownerA', 'ownerB'] as const).map((owner) =>
      harness().t.services.organizations.create(cliActor(), {
        name: `${owner} ${run}`,
        ownerEmail: rosterEmail(owner, run),
        ownerName: owner,
      }),
    ),
  );
  const A = orgA.organization.id;
  const B = orgB.organization.id;
  const [scimA, scimB, owner2A, adminA, customA, userA, adminB, userB, invited] = await Promise.all([
    harness()
      .t.services.scimSettings.enable(cliActor(), A, { inviteUsersAfterProvisioning: true })
      .then((r) => r.apiKey),
    harness()
      .t.services.scimSettings.enable(cliActor(), B, { inviteUsersAfterProvisioning: true })
      .then((r) => r.apiKey),
    confirmed(A, rosterEmail('owner2A', run), 'OWNER'),
    confirmed(A, rosterEmail('adminA', run), 'ADMIN'),
    confirmed(A, rosterEmail('customA', run), 'CUSTOM', customFlags),
    confirmed(A, rosterEmail('userA', run), 'USER'),
    confirmed(B, rosterEmail('adminB', run), 'ADMIN'),
    confirmed(B, rosterEmail('userB', run), 'USER'),
    harness().t.services.memberLifecycle.invite(cliActor(), A, {
      email: rosterEmail('invitedA', run),
      role: 'ADMIN' as MemberRole,
    }),
  ]);
  // One group per organization, so group actions have something to act on from the first step.
  await Promise.all([
    harness().t.services.groups.create(cliActor(), A, {
      displayName: `team ${run}`,
      memberIds: [userA.id, customA.id],
    }),
    harness().t.services.groups.create(cliActor(), B, { displayName: `team ${run}`, memberIds: [userB.id] }),
  ]);
  const owners = await harness()
    .t.orm.em.fork()
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

export async function snapshot(w: World): Promise<Snapshot> {
  const db = harness().t.orm.em.fork().getConnection();
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

export async function deliverMail(): Promise<void> {
  await harness().t.services.signIn.emailLinksSettled();
  while ((await harness().t.dispatcher.drainOnce()) > 0);
}

/** Invitation tokens and sign-in link tokens mailed to the attacker's addresses of this run, oldest first. */
export function worldInbox(w: World): { invitations: string[]; links: string[] } {
  const mails = harness().smtp.messages.filter((m) => m.to.some((to) => isWorldAddress(to) && to.includes(w.run)));
  return {
    invitations: mails.flatMap((m) => /\n(inv_[\w-]+)\s*\n/.exec(m.text)?.[1] ?? []),
    links: mails.flatMap((m) => /\/sign-in\/link\?token=([\w%-]+)/.exec(m.text)?.[1] ?? []).map(decodeURIComponent),
  };
}

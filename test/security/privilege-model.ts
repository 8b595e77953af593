/**
 * The oracle of test/security/privilege.property.test.ts: a small pure model of who may change what, written from
 * the rules as the design states them, independently of src/domain/policy.ts. It does not predict what a request
 * does (refusals for LAST_OWNER, seats or status rules are the product's business); it judges every change between
 * two snapshots of the database and lists those the acting caller had no authority for.
 *
 * The rules: no one grants a role or flag they do not hold; no one changes their own role or flags; acting on a
 * member needs authority over that member's current role; only owner authority (OWNER, or CUSTOM with the
 * owner-only manageScimKeys flag) enables SCIM or mints its keys; nothing reaches across organizations; a SCIM key
 * may act on every member of its own organization (owners too) but gives no role beyond USER and no flag; an
 * account is only acted as (sessions, tokens, memberships linked to it) by a caller that controls it.
 */

export type Role = 'OWNER' | 'ADMIN' | 'CUSTOM' | 'USER';
export type Flag = 'manageUsers' | 'manageGroups' | 'manageScim' | 'accessEventLogs' | 'manageScimKeys';
export type Flags = Record<Flag, boolean>;

export const ROLES: readonly Role[] = ['OWNER', 'ADMIN', 'CUSTOM', 'USER'];
export const FLAGS: readonly Flag[] = [
  'manageUsers',
  'manageGroups',
  'manageScim',
  'accessEventLogs',
  'manageScimKeys',
];
const OWNER_ONLY: readonly Flag[] = ['manageScimKeys'];

/** The mailboxes every caller of the test can read: the attacker's. Every other address belongs to its account. */
export const WORLD_DOMAIN = '@attacker.test';
export const isWorldAddress = (email: string): boolean => email.toLowerCase().endsWith(WORLD_DOMAIN);

export interface MemberRow {
  id: string;
  orgId: string;
  userId: string | null;
  email: string;
  role: Role;
  flags: Flags;
  status: string;
}

/** What the database holds for the organizations of one run, and every account with its live credentials. */
export interface Snapshot {
  members: Map<string, MemberRow>;
  /** Group id -> organization id. */
  groups: Map<string, string>;
  /** `groupId|memberId` -> organization id. */
  links: Map<string, string>;
  scim: Map<string, { enabled: boolean; provider: string; invite: boolean }>;
  /** Live SCIM keys: id -> organization and hash. */
  scimKeys: Map<string, { orgId: string; hash: string }>;
  /** Accounts: id -> e-mail. */
  users: Map<string, string>;
  /** Live sessions and access tokens: id -> account and hash. */
  sessions: Map<string, { userId: string; hash: string }>;
  tokens: Map<string, { userId: string; hash: string }>;
}

/** The secret a request carried, as the model knows it: an account's token or session, a SCIM key, or nothing. */
export type Credential =
  { kind: 'token' | 'session'; hash: string } | { kind: 'scim'; hash: string; orgId: string } | { kind: 'none' };

export interface StepContext {
  /** The accounts this caller was given or obtained legitimately. */
  accounts: ReadonlySet<string>;
  credential: Credential;
}

export type Authority =
  { kind: 'NONE' } | { kind: 'SCIM' } | { kind: 'MEMBER'; memberId: string; userId: string; role: Role; flags: Flags };

/** The account a credential acts as before the step, when it is live. */
export function credentialAccount(pre: Snapshot, c: Credential): string | null {
  if (c.kind !== 'token' && c.kind !== 'session') return null;
  for (const row of (c.kind === 'token' ? pre.tokens : pre.sessions).values())
    if (row.hash === c.hash) return row.userId;
  return null;
}

/** The authority a step's credential carries in one organization, from the snapshot before the step. */
export function authorityIn(pre: Snapshot, c: Credential, orgId: string): Authority {
  if (c.kind === 'scim') {
    const live = [...pre.scimKeys.values()].some((k) => k.hash === c.hash && k.orgId === orgId);
    return live && pre.scim.get(orgId)?.enabled ? { kind: 'SCIM' } : { kind: 'NONE' };
  }
  const userId = credentialAccount(pre, c);
  if (!userId) return { kind: 'NONE' };
  const m = [...pre.members.values()].find((r) => r.orgId === orgId && r.userId === userId);
  if (!m || m.status !== 'CONFIRMED') return { kind: 'NONE' };
  return { kind: 'MEMBER', memberId: m.id, userId, role: m.role, flags: m.flags };
}

/** The roles a member's role reaches, both to act on and to give. */
function reaches(role: Role, other: Role): boolean {
  if (role === 'OWNER') return true;
  if (role === 'ADMIN') return other !== 'OWNER';
  if (role === 'CUSTOM') return other === 'CUSTOM' || other === 'USER';
  return false;
}

type Capability = 'manageMembers' | 'manageGroups' | 'manageScim' | 'manageScimKeys';
const CUSTOM_FLAG: Record<Capability, Flag> = {
  manageMembers: 'manageUsers',
  manageGroups: 'manageGroups',
  manageScim: 'manageScim',
  manageScimKeys: 'manageScimKeys',
};

export function holds(a: Authority, c: Capability): boolean {
  if (a.kind === 'NONE') return false;
  if (a.kind === 'SCIM') return c === 'manageMembers' || c === 'manageGroups';
  if (a.role === 'OWNER') return true;
  if (a.role === 'ADMIN') return c !== 'manageScimKeys';
  if (a.role === 'CUSTOM') return a.flags[CUSTOM_FLAG[c]];
  return false;
}

const actsOn = (a: Authority, role: Role) => a.kind === 'SCIM' || (a.kind === 'MEMBER' && reaches(a.role, role));
const givesRole = (a: Authority, role: Role) =>
  a.kind === 'SCIM' ? role === 'USER' : a.kind === 'MEMBER' && reaches(a.role, role);
function givesFlag(a: Authority, f: Flag): boolean {
  if (a.kind !== 'MEMBER') return false;
  if (a.role === 'OWNER') return true;
  if (OWNER_ONLY.includes(f)) return false;
  return a.role === 'ADMIN' || (a.role === 'CUSTOM' && a.flags[f]);
}

/** The flags a change turns on: those off before, and all of them when the member becomes CUSTOM. */
function flagsTurnedOn(before: MemberRow | null, after: MemberRow): Flag[] {
  const becomesCustom = after.role === 'CUSTOM' && before?.role !== 'CUSTOM';
  return FLAGS.filter((f) => after.flags[f] && (!before || becomesCustom || !before.flags[f]));
}

const sameFlags = (a: Flags, b: Flags) => FLAGS.every((f) => a[f] === b[f]);

/** Whether the caller may act as the account: it is one of its own, or its mailbox is one every caller reads. */
export function controls(ctx: StepContext, users: Map<string, string>, userId: string): boolean {
  const email = users.get(userId);
  return ctx.accounts.has(userId) || (email !== undefined && isWorldAddress(email));
}

/**
 * The changes from `pre` to `post` that the caller of one step had no authority for, in words. The snapshots hold
 * the members, groups and SCIM settings of the run's organizations, and every account with its credentials.
 */
export function violations(pre: Snapshot, post: Snapshot, ctx: StepContext): string[] {
  const out: string[] = [];
  const auth = new Map<string, Authority>();
  const authority = (orgId: string) => {
    if (!auth.has(orgId)) auth.set(orgId, authorityIn(pre, ctx.credential, orgId));
    return auth.get(orgId)!;
  };
  const who = (a: Authority) => (a.kind === 'MEMBER' ? `${a.role} member` : a.kind);

  // Accounts: created only for addresses the caller reads; an account's address never changes.
  for (const [id, email] of post.users) {
    const before = pre.users.get(id);
    if (before === undefined && !isWorldAddress(email) && !ctx.accounts.has(id))
      out.push(`an account was created for ${email}, a mailbox the caller does not read`);
    if (before !== undefined && before !== email) out.push(`account ${before} changed its address to ${email}`);
  }

  // Memberships.
  const created = new Set<string>();
  for (const id of new Set([...pre.members.keys(), ...post.members.keys()])) {
    const b = pre.members.get(id) ?? null;
    const a = post.members.get(id) ?? null;
    const orgId = (a ?? b)!.orgId;
    const au = authority(orgId);
    const label = `member ${(b ?? a)!.email} (${(b ?? a)!.role}) by ${who(au)}`;
    if (!a) {
      if (!holds(au, 'manageMembers') || !actsOn(au, b!.role)) out.push(`${label}: removed without authority`);
      continue;
    }
    if (!b) {
      created.add(id);
      if (!holds(au, 'manageMembers')) out.push(`${label}: created without manageMembers`);
      if (!givesRole(au, a.role)) out.push(`${label}: created with a role the caller may not give`);
      const refused = flagsTurnedOn(null, a).filter((f) => !givesFlag(au, f));
      if (a.role === 'CUSTOM' && refused.length) out.push(`${label}: created with flags ${refused.join(',')}`);
      // Created and accepted within one step (provisioned, then the invitation accepted from its mailbox).
      if (a.userId && (a.status !== 'ACCEPTED' || !controls(ctx, post.users, a.userId)))
        out.push(`${label}: created already linked to the account ${post.users.get(a.userId)}`);
      continue;
    }
    if (b.status === 'STAGED' && a.status !== 'STAGED') created.add(id); // an invitation of a staged member
    const accepted = b.userId === null && a.userId !== null;
    if (accepted) {
      if (b.status !== 'INVITED' || a.status !== 'ACCEPTED') out.push(`${label}: linked to an account outside Accept`);
      if (!controls(ctx, post.users, a.userId!))
        out.push(`${label}: linked to the account ${post.users.get(a.userId!)}, which the caller does not control`);
    } else if (b.userId !== a.userId) {
      out.push(`${label}: its account changed from ${b.userId} to ${a.userId}`);
    }
    const roleChanged = b.role !== a.role;
    const flagsChanged = !sameFlags(b.flags, a.flags);
    const managed = b.status !== a.status || b.email !== a.email || roleChanged || flagsChanged;
    const isAcceptance = accepted && b.status === 'INVITED' && a.status === 'ACCEPTED';
    if (managed && !isAcceptance && (!holds(au, 'manageMembers') || !actsOn(au, b.role)))
      out.push(`${label}: changed (${describe(b, a)}) without authority over its role`);
    if (isAcceptance && (roleChanged || flagsChanged || b.email !== a.email))
      out.push(`${label}: Accept changed more than the status (${describe(b, a)})`);
    if (roleChanged || flagsChanged) {
      if (au.kind === 'MEMBER' && au.memberId === id) out.push(`${label}: changed its own role or flags`);
      if (roleChanged && !givesRole(au, a.role)) out.push(`${label}: given the ${a.role} role`);
      const refused = flagsTurnedOn(b, a).filter((f) => !givesFlag(au, f));
      if (refused.length) out.push(`${label}: given the flags ${refused.join(',')}`);
    }
  }

  // Groups and their members: manageGroups, except links that go with a member created or removed in the step.
  for (const id of new Set([...pre.groups.keys(), ...post.groups.keys()])) {
    const orgId = (post.groups.get(id) ?? pre.groups.get(id))!;
    if (pre.groups.has(id) !== post.groups.has(id) && !holds(authority(orgId), 'manageGroups'))
      out.push(`group ${id} ${post.groups.has(id) ? 'created' : 'deleted'} by ${who(authority(orgId))}`);
  }
  const linkKeys = new Set([...pre.links.keys(), ...post.links.keys()]);
  for (const key of linkKeys) {
    if (pre.links.has(key) === post.links.has(key)) continue;
    const [groupId, memberId] = key.split('|');
    const orgId = (post.links.get(key) ?? pre.links.get(key))!;
    const au = authority(orgId);
    if (holds(au, 'manageGroups')) continue;
    if (!post.links.has(key) && (!post.members.has(memberId) || !post.groups.has(groupId))) continue;
    if (post.links.has(key) && created.has(memberId) && holds(au, 'manageMembers')) continue;
    out.push(`group link ${key} ${post.links.has(key) ? 'added' : 'removed'} by ${who(au)}`);
  }

  // SCIM settings and keys: enabling and keys need owner authority; the provider and staging need manageScim.
  for (const [orgId, b] of pre.scim) {
    const a = post.scim.get(orgId);
    const au = authority(orgId);
    if (a && a.enabled !== b.enabled && !holds(au, 'manageScimKeys'))
      out.push(`SCIM of ${orgId} ${a.enabled ? 'enabled' : 'disabled'} by ${who(au)}`);
    if (a && (a.provider !== b.provider || a.invite !== b.invite) && !holds(au, 'manageScim'))
      out.push(`SCIM settings of ${orgId} changed by ${who(au)}`);
  }
  for (const [orgId] of post.scim)
    if (!pre.scim.has(orgId) && !holds(authority(orgId), 'manageScimKeys'))
      out.push(`SCIM of ${orgId} set up by ${who(authority(orgId))}`);
  // A key that ends takes nothing from anyone but the IdP: disabling is judged above, a rotation by its new key.
  for (const [id, key] of post.scimKeys)
    if (!pre.scimKeys.has(id) && !holds(authority(key.orgId), 'manageScimKeys'))
      out.push(`a SCIM key of ${key.orgId} minted by ${who(authority(key.orgId))}`);

  // Sessions and access tokens: opened only for accounts the caller controls; ended by such a caller too, or by
  // one with authority over a membership of that account (acting on a member may end its sign-ins).
  const actsOnAccount = (userId: string) =>
    [...pre.members.values()].some(
      (m) => m.userId === userId && holds(authority(m.orgId), 'manageMembers') && actsOn(authority(m.orgId), m.role),
    );
  for (const kind of ['sessions', 'tokens'] as const) {
    const noun = kind === 'sessions' ? 'session' : 'token';
    for (const [id, row] of post[kind])
      if (!pre[kind].has(id) && !controls(ctx, post.users, row.userId))
        out.push(`a ${noun} of ${post.users.get(row.userId)} opened by a caller that does not control it`);
    for (const [id, row] of pre[kind])
      if (!post[kind].has(id) && !controls(ctx, post.users, row.userId) && !actsOnAccount(row.userId))
        out.push(`a ${noun} of ${post.users.get(row.userId)} ended by a caller with no authority over it`);
  }
  return out;
}

function describe(b: MemberRow, a: MemberRow): string {
  const parts: string[] = [];
  if (b.status !== a.status) parts.push(`status ${b.status}->${a.status}`);
  if (b.email !== a.email) parts.push(`email ${b.email}->${a.email}`);
  if (b.role !== a.role) parts.push(`role ${b.role}->${a.role}`);
  const flags = FLAGS.filter((f) => b.flags[f] !== a.flags[f]);
  if (flags.length) parts.push(`flags ${flags.map((f) => `${a.flags[f] ? '+' : '-'}${f}`).join(',')}`);
  if (b.userId !== a.userId) parts.push('account link');
  return parts.join(', ');
}

/** Whether anything in the snapshots differs (used to count the steps that changed something). */
export function changed(pre: Snapshot, post: Snapshot): boolean {
  const key = (s: Snapshot) =>
    JSON.stringify([
      [...s.members.values()].sort((x, y) => x.id.localeCompare(y.id)),
      [...s.groups.entries()].sort(),
      [...s.links.keys()].sort(),
      [...s.scim.entries()].sort(),
      [...s.scimKeys.keys()].sort(),
      [...s.users.keys()].sort(),
      [...s.sessions.keys()].sort(),
      [...s.tokens.keys()].sort(),
    ]);
  return key(pre) !== key(post);
}

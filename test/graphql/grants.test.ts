import { cliActor } from '../../src/domain/actor';
import { type MemberPermissions, MemberRole, MemberStatus, NO_PERMISSIONS } from '../../src/domain/enums';
import { Member } from '../../src/entities';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization, unique } from '../helpers/factories';
import { type GqlResponse, codes, gql, tokenFor } from './gql';

/**
 * Every (caller, target role, action, new role/flags) cell of the authorization model, through GraphQL: what the
 * mutation does and what `Member.viewerCan` announced before it. The expectations are written out here as the
 * README table states them, independently of src/domain/policy.ts.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

type Flag = keyof MemberPermissions;
const CONCURRENT_CELLS = 6;
const FLAGS: Flag[] = ['manageUsers', 'manageGroups', 'manageScim', 'accessEventLogs', 'manageScimKeys'];
const ROLES = [MemberRole.OWNER, MemberRole.ADMIN, MemberRole.CUSTOM, MemberRole.USER];

interface CallerSpec {
  name: string;
  role: MemberRole;
  flags: Partial<MemberPermissions>;
  /** manageMembers: without it every member mutation fails as a whole (top-level FORBIDDEN). */
  manages: boolean;
  actsOn: MemberRole[];
  gives: MemberRole[];
  givesFlags: Flag[];
}

const CALLERS: CallerSpec[] = [
  { name: 'OWNER', role: MemberRole.OWNER, flags: {}, manages: true, actsOn: ROLES, gives: ROLES, givesFlags: FLAGS },
  {
    name: 'ADMIN',
    role: MemberRole.ADMIN,
    flags: {},
    manages: true,
    actsOn: [MemberRole.ADMIN, MemberRole.CUSTOM, MemberRole.USER],
    gives: [MemberRole.ADMIN, MemberRole.CUSTOM, MemberRole.USER],
    givesFlags: ['manageUsers', 'manageGroups', 'manageScim', 'accessEventLogs'],
  },
  {
    name: 'CUSTOM(manageUsers,accessEventLogs)',
    role: MemberRole.CUSTOM,
    flags: { manageUsers: true, accessEventLogs: true },
    manages: true,
    actsOn: [MemberRole.CUSTOM, MemberRole.USER],
    gives: [MemberRole.CUSTOM, MemberRole.USER],
    givesFlags: ['manageUsers', 'accessEventLogs'],
  },
  {
    // Holds the owner-only flag (an owner gave it) and manageUsers: it still may not pass manageScimKeys on.
    name: 'CUSTOM(manageUsers,manageScimKeys)',
    role: MemberRole.CUSTOM,
    flags: { manageUsers: true, manageScimKeys: true },
    manages: true,
    actsOn: [MemberRole.CUSTOM, MemberRole.USER],
    gives: [MemberRole.CUSTOM, MemberRole.USER],
    givesFlags: ['manageUsers'],
  },
  {
    name: 'CUSTOM(manageGroups)',
    role: MemberRole.CUSTOM,
    flags: { manageGroups: true },
    manages: false,
    actsOn: [],
    gives: [],
    givesFlags: [],
  },
  { name: 'USER', role: MemberRole.USER, flags: {}, manages: false, actsOn: [], gives: [], givesFlags: [] },
];

/** The targets: one per role; the CUSTOM one holds a flag none of the CUSTOM callers holds. */
const TARGET_FLAGS: Record<MemberRole, Partial<MemberPermissions>> = {
  [MemberRole.OWNER]: {},
  [MemberRole.ADMIN]: {},
  [MemberRole.CUSTOM]: { manageScim: true },
  [MemberRole.USER]: {},
};

type Action =
  | { kind: 'revoke' | 'restore' | 'remove' | 'confirm' | 'reinvite' }
  | { kind: 'role'; to: MemberRole }
  | { kind: 'flag'; flag: Flag };

const LIFECYCLE: Action[] = (['revoke', 'restore', 'remove', 'confirm', 'reinvite'] as const).map((kind) => ({ kind }));
const actionsFor = (targetRole: MemberRole): Action[] => [
  ...LIFECYCLE,
  ...ROLES.filter((r) => r !== targetRole).map((to): Action => ({ kind: 'role', to })),
  ...FLAGS.map((flag): Action => ({ kind: 'flag', flag })),
];
const label = (a: Action) => (a.kind === 'role' ? `role->${a.to}` : a.kind === 'flag' ? `flag:${a.flag}` : a.kind);

/** The status a target needs for the action to be possible at all. */
const STATUS_FOR: Record<Action['kind'], MemberStatus> = {
  revoke: MemberStatus.CONFIRMED,
  restore: MemberStatus.REVOKED,
  remove: MemberStatus.CONFIRMED,
  confirm: MemberStatus.ACCEPTED,
  reinvite: MemberStatus.INVITED,
  role: MemberStatus.CONFIRMED,
  flag: MemberStatus.CONFIRMED,
};

const VIEWER_CAN = `query($org: ID!, $id: ID!) { organization(id: $org) { member(id: $id) { viewerCan {
  update changeRole changePermissions grantableRoles revoke restore remove confirm reinvite
  grantablePermissions { ${FLAGS.join(' ')} }
} } } }`;

const RESULT = 'results { userErrors { code } }';
function mutation(
  orgId: string,
  memberId: string,
  a: Action,
): { name: string; query: string; input: Record<string, unknown> } {
  const bulk = (name: string, type: string, input: Record<string, unknown>) => ({
    name,
    query: `mutation($input: ${type}!) { ${name}(input: $input) { ${RESULT} } }`,
    input: { organizationId: orgId, ...input },
  });
  const update = (input: Record<string, unknown>) => ({
    name: 'memberUpdate',
    query: `mutation($input: MemberUpdateInput!) { memberUpdate(input: $input) { member { id } userErrors { code } } }`,
    input: { organizationId: orgId, memberId, ...input },
  });
  switch (a.kind) {
    case 'revoke':
      return bulk('membersRevoke', 'MembersRevokeInput', { memberIds: [memberId] });
    case 'restore':
      return bulk('membersRestore', 'MemberIdsInput', { memberIds: [memberId] });
    case 'remove':
      return bulk('membersRemove', 'MemberIdsInput', { memberIds: [memberId] });
    case 'reinvite':
      return bulk('membersReinvite', 'MemberIdsInput', { memberIds: [memberId] });
    case 'confirm':
      return bulk('membersConfirm', 'MembersConfirmInput', { members: [{ memberId }] });
    case 'role':
      return update({ role: a.to });
    case 'flag':
      return update({ permissions: { [a.flag]: true } });
  }
}

type Outcome = 'OK' | 'FORBIDDEN' | 'DENIED';

/** OK, a FORBIDDEN user error (the change refused), or DENIED (a top-level FORBIDDEN: no right to manage members). */
function outcomeOf(res: GqlResponse, name: string): Outcome | string {
  if (res.body.errors)
    return codes(res).join(',') === 'FORBIDDEN' && res.body.data?.[name] == null
      ? 'DENIED'
      : JSON.stringify(res.body.errors);
  const payload = res.body.data![name];
  const errors: { code: string }[] = payload.results
    ? payload.results.flatMap((r: { userErrors: unknown[] }) => r.userErrors)
    : payload.userErrors;
  if (!errors.length) return 'OK';
  return errors.map((e) => e.code).join(',');
}

function expected(
  caller: CallerSpec,
  target: { role: MemberRole; flags: Partial<MemberPermissions>; self: boolean },
  a: Action,
): Outcome {
  if (!caller.manages) return 'DENIED';
  if (!caller.actsOn.includes(target.role)) return 'FORBIDDEN';
  if (a.kind === 'role') return !target.self && caller.gives.includes(a.to) ? 'OK' : 'FORBIDDEN';
  if (a.kind === 'flag') {
    if (target.flags[a.flag]) return 'OK'; // already on: no change, nothing given
    return !target.self && caller.givesFlags.includes(a.flag) ? 'OK' : 'FORBIDDEN';
  }
  return 'OK';
}

/** What viewerCan says about one action (setting a flag the member already holds changes nothing: `update` covers it). */
function announced(can: Record<string, any>, a: Action, targetFlags: Partial<MemberPermissions>): boolean {
  if (a.kind === 'role') return can.grantableRoles.includes(a.to);
  if (a.kind === 'flag') return targetFlags[a.flag] ? can.update : can.grantablePermissions[a.flag];
  return can[a.kind];
}

async function organizationWithCaller(caller: CallerSpec) {
  const org = await makeOrganization(t.services);
  let token = org.ownerToken;
  let memberId = org.ownerId;
  if (caller.role !== MemberRole.OWNER || Object.keys(caller.flags).length) {
    const m = await confirmedMember(t.services, org.orgId, caller.role as never);
    await t.services.memberProfiles.update(cliActor(), org.orgId, m.member.id, { permissions: caller.flags });
    token = await tokenFor(t.services, m.email);
    memberId = m.member.id;
  }
  return { org, token, memberId };
}

async function makeTarget(orgId: string, role: MemberRole, status: MemberStatus): Promise<string> {
  const { member } = await t.services.memberLifecycle.invite(cliActor(), orgId, {
    email: `target-${unique()}@example.test`,
    role,
    permissions: TARGET_FLAGS[role],
  });
  if (status !== MemberStatus.INVITED) {
    const revoked = status === MemberStatus.REVOKED;
    await t.orm.em
      .fork()
      .nativeUpdate(Member, { id: member.id }, { status, priorStatus: revoked ? MemberStatus.CONFIRMED : null });
  }
  return member.id;
}

const snapshot = async (id: string) => {
  const m = await t.orm.em.fork().findOne(Member, { id });
  return (
    m && { status: m.status, role: m.role, permissions: { ...NO_PERMISSIONS, ...m.permissions }, version: m.version }
  );
};

describe(`who may grant what (${engineName()})`, () => {
  it.each(CALLERS.map((c) => [c.name, c] as const))(
    '%s: every target role, action and new role/flags',
    async (_name, caller) => {
      const { org, token, memberId: selfId } = await organizationWithCaller(caller);
      const mismatches: string[] = [];
      const cellsToRun = ROLES.flatMap((targetRole) =>
        actionsFor(targetRole).map((action) => ({ targetRole, action })),
      );
      let cells = cellsToRun.length;
      // Each cell has its own target, so cells run a few at a time.
      const runCell = async ({ targetRole, action }: (typeof cellsToRun)[number]) => {
        const id = await makeTarget(org.orgId, targetRole, STATUS_FOR[action.kind]);
        const want = expected(caller, { role: targetRole, flags: TARGET_FLAGS[targetRole], self: false }, action);
        const cell = `${targetRole} ${label(action)}`;
        const read = await gql(t.app, token, VIEWER_CAN, { org: org.orgId, id });
        const can = read.body.data?.organization?.member?.viewerCan ?? null;
        if (caller.manages) {
          if (!can) mismatches.push(`${cell}: viewerCan unreadable ${JSON.stringify(read.body.errors)}`);
          else if (announced(can, action, TARGET_FLAGS[targetRole]) !== (want === 'OK'))
            mismatches.push(
              `${cell}: viewerCan says ${announced(can, action, TARGET_FLAGS[targetRole])}, expected ${want}`,
            );
        } else if (can && Object.values(can).some((v) => v === true || (Array.isArray(v) && v.length))) {
          mismatches.push(`${cell}: viewerCan offers something to a caller without manageMembers`);
        }
        const before = await snapshot(id);
        const m = mutation(org.orgId, id, action);
        const got = outcomeOf(await gql(t.app, token, m.query, { input: m.input }), m.name);
        if (got !== want) mismatches.push(`${cell}: mutation ${got}, expected ${want}`);
        const after = await snapshot(id);
        if (want !== 'OK' && JSON.stringify(after) !== JSON.stringify(before))
          mismatches.push(`${cell}: refused but changed ${JSON.stringify(after)}`);
        if (want === 'OK' && action.kind === 'role' && after?.role !== action.to)
          mismatches.push(`${cell}: role is ${after?.role}`);
        if (want === 'OK' && action.kind === 'flag' && !after?.permissions[action.flag])
          mismatches.push(`${cell}: flag not set`);
        if (want === 'OK' && action.kind === 'remove' && after) mismatches.push(`${cell}: not removed`);
      };
      for (let i = 0; i < cellsToRun.length; i += CONCURRENT_CELLS)
        await Promise.all(cellsToRun.slice(i, i + CONCURRENT_CELLS).map(runCell));

      // The caller's own membership: nobody changes their own role or flags.
      const self = await snapshot(selfId);
      const selfCan = (await gql(t.app, token, VIEWER_CAN, { org: org.orgId, id: selfId })).body.data?.organization
        ?.member?.viewerCan;
      if (
        selfCan &&
        (selfCan.grantableRoles.length ||
          selfCan.changeRole ||
          selfCan.changePermissions ||
          Object.values(selfCan.grantablePermissions).some(Boolean))
      ) {
        mismatches.push(`self: viewerCan offers a change of its own role or flags ${JSON.stringify(selfCan)}`);
      }
      for (const action of [
        ...ROLES.filter((r) => r !== caller.role).map((to): Action => ({ kind: 'role', to })),
        ...FLAGS.filter((f) => !caller.flags[f]).map((flag): Action => ({ kind: 'flag', flag })),
      ]) {
        cells++;
        const m = mutation(org.orgId, selfId, action);
        const got = outcomeOf(await gql(t.app, token, m.query, { input: m.input }), m.name);
        const want = caller.manages ? 'FORBIDDEN' : 'DENIED';
        if (got !== want) mismatches.push(`self ${label(action)}: mutation ${got}, expected ${want}`);
      }
      expect(JSON.stringify(await snapshot(selfId))).toBe(JSON.stringify(self));
      expect(mismatches).toEqual([]);
      expect(cells).toBeGreaterThan(50);
    },
    300_000,
  ); // some 70 cells of a few requests each, per caller
});

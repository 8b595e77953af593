import { MemberRole, MemberStatus, NO_PERMISSIONS } from '../../src/domain/enums';
import { ALL_CAPABILITIES, type Authority, capabilitiesOf, flagsGiven, grantRefusal } from '../../src/domain/policy';
import { assertTransition, isConfirmedOwner, occupiesSeat } from '../../src/domain/member-rules';

const member = (role: MemberRole, status = MemberStatus.CONFIRMED, permissions = NO_PERMISSIONS) => ({
  role,
  status,
  permissions,
});

describe('policy', () => {
  it('gives an owner everything and an admin everything but owner management and SCIM keys', () => {
    expect(capabilitiesOf(member(MemberRole.OWNER))).toEqual(ALL_CAPABILITIES);
    expect(capabilitiesOf(member(MemberRole.ADMIN))).toEqual({
      ...ALL_CAPABILITIES,
      manageOwners: false,
      manageScimKeys: false,
    });
  });

  it('gives a plain user only the organization itself', () => {
    const caps = capabilitiesOf(member(MemberRole.USER));
    expect(
      Object.entries(caps)
        .filter(([, v]) => v)
        .map(([k]) => k),
    ).toEqual(['viewOrganization']);
  });

  it('maps CUSTOM flags one to one', () => {
    const caps = capabilitiesOf(
      member(MemberRole.CUSTOM, MemberStatus.CONFIRMED, {
        ...NO_PERMISSIONS,
        manageGroups: true,
        accessEventLogs: true,
      }),
    );
    expect(caps.manageGroups && caps.viewGroups && caps.viewEvents).toBe(true);
    expect(caps.manageMembers || caps.manageScim || caps.manageOwners || caps.updateOrganization).toBe(false);
  });

  it.each([MemberStatus.STAGED, MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.REVOKED])(
    'gives a %s owner nothing',
    (status) => {
      expect(Object.values(capabilitiesOf(member(MemberRole.OWNER, status))).some(Boolean)).toBe(false);
    },
  );

  it('gives no membership nothing', () => {
    expect(Object.values(capabilitiesOf(null)).some(Boolean)).toBe(false);
  });
});

describe('grant rules', () => {
  const custom: Authority = {
    kind: 'MEMBER',
    memberId: 'c',
    role: MemberRole.CUSTOM,
    permissions: { ...NO_PERMISSIONS, manageUsers: true },
  };
  const target = { id: 't', role: MemberRole.USER, permissions: { ...NO_PERMISSIONS, manageScim: true } };

  it('counts every flag as given when a member becomes CUSTOM (stored flags had no effect before)', () => {
    expect(flagsGiven(target, { role: MemberRole.CUSTOM, permissions: target.permissions })).toEqual(['manageScim']);
    expect(
      flagsGiven(target, { role: MemberRole.USER, permissions: { ...target.permissions, manageUsers: true } }),
    ).toEqual(['manageUsers']);
    expect(grantRefusal(custom, target, { role: MemberRole.CUSTOM, permissions: target.permissions })).toMatch(
      /manageScim/,
    );
  });

  it('lets nobody change its own role or flags, not even an owner', () => {
    const owner: Authority = { kind: 'MEMBER', memberId: 'o', role: MemberRole.OWNER, permissions: NO_PERMISSIONS };
    const self = { id: 'o', role: MemberRole.OWNER, permissions: NO_PERMISSIONS };
    expect(grantRefusal(owner, self, { role: MemberRole.ADMIN, permissions: NO_PERMISSIONS })).toMatch(/own role/);
    expect(grantRefusal(owner, self, { role: MemberRole.OWNER, permissions: NO_PERMISSIONS })).toBeNull();
  });

  it('lets the SCIM actor give no role but USER and no flag', () => {
    expect(grantRefusal({ kind: 'SCIM' }, null, { role: MemberRole.USER, permissions: NO_PERMISSIONS })).toBeNull();
    expect(grantRefusal({ kind: 'SCIM' }, null, { role: MemberRole.ADMIN, permissions: NO_PERMISSIONS })).toMatch(
      /ADMIN/,
    );
    expect(
      grantRefusal({ kind: 'OPERATOR' }, null, {
        role: MemberRole.OWNER,
        permissions: { ...NO_PERMISSIONS, manageScimKeys: true },
      }),
    ).toBeNull();
  });
});

describe('member rules', () => {
  it('counts seats for invited, accepted and confirmed only', () => {
    expect(Object.values(MemberStatus).filter(occupiesSeat)).toEqual([
      MemberStatus.INVITED,
      MemberStatus.ACCEPTED,
      MemberStatus.CONFIRMED,
    ]);
  });

  it('recognises a confirmed owner', () => {
    expect(isConfirmedOwner(member(MemberRole.OWNER))).toBe(true);
    expect(isConfirmedOwner(member(MemberRole.OWNER, MemberStatus.REVOKED))).toBe(false);
    expect(isConfirmedOwner(member(MemberRole.ADMIN))).toBe(false);
  });

  it.each([
    ['accept', MemberStatus.INVITED, true],
    ['accept', MemberStatus.STAGED, false],
    ['confirm', MemberStatus.ACCEPTED, true],
    ['confirm', MemberStatus.INVITED, false],
    ['revoke', MemberStatus.REVOKED, false],
    ['restore', MemberStatus.REVOKED, true],
    ['restore', MemberStatus.CONFIRMED, false],
    ['invite', MemberStatus.STAGED, true],
  ] as const)('%s from %s allowed: %s', (action, from, allowed) => {
    const attempt = () => assertTransition(action, from);
    if (allowed) expect(attempt).not.toThrow();
    else expect(attempt).toThrow(/cannot/);
  });
});

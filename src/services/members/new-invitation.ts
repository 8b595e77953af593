import { type Actor } from '../../domain/actor';
import { type MemberPermissions, MemberRole, MemberSource, MemberStatus, NO_PERMISSIONS } from '../../domain/enums';
import { DomainError, ErrorCode } from '../../domain/errors';
import { type MemberProfile, assertTransition, cleanProfile, normalizeEmail } from '../../domain/member-rules';
import { assertCapability } from '../../domain/policy';
import { type Member } from '../../entities';
import { GroupRepository } from '../../repositories/group.repository';
import { MemberRepository } from '../../repositories/member.repository';
import { type Transaction, flush } from '../../repositories/unit-of-work';
import { authorize } from '../access';
import { recordAudit } from '../audit';
import { refuseIdpGroupEdit } from '../idp-managed';
import { issueInvitation } from '../invitations';
import { assertSeatAvailable } from '../member-guards';
import { noteGroupMembers } from '../webhooks/pending-changes';
import { assertAuthority, assertGrant } from './member-authority';

export interface InviteInput {
  email: string;
  role?: MemberRole;
  permissions?: Partial<MemberPermissions>;
  groupIds?: string[];
  profile?: Partial<MemberProfile>;
}

/**
 * An administrator's invitation, in the caller's transaction: a new INVITED member, or a STAGED one moved to
 * INVITED, in the groups the input names. Returns the token sent by e-mail.
 */
export async function inviteIn(
  tx: Transaction,
  publicUrl: string,
  actor: Actor,
  organizationId: string,
  input: InviteInput,
): Promise<{ member: Member; invitationToken: string }> {
  const access = await authorize(tx, actor, organizationId, 'manageMembers');
  const role = input.role ?? MemberRole.USER;
  const permissions = { ...NO_PERMISSIONS, ...input.permissions };
  assertGrant(access, null, { role, permissions });
  const email = normalizeEmail(input.email);
  const members = new MemberRepository(tx);
  const staged = await members.findByEmail(organizationId, email, MemberStatus.STAGED);
  await assertSeatAvailable(tx, access.organization, MemberStatus.INVITED);
  let member: Member;
  if (staged) {
    assertTransition('invite', staged.status);
    assertAuthority(access, staged);
    member = staged;
    member.status = MemberStatus.INVITED;
  } else {
    const profile = cleanProfile(input.profile);
    member = members.create({
      ...profile,
      email,
      userName: profile.userName ?? email,
      organization: access.organization,
      role,
      permissions,
      status: MemberStatus.INVITED,
      source: MemberSource.INVITE,
    });
  }
  const invitationToken = issueInvitation(tx, publicUrl, access.organization, member);
  await flush(tx);
  if (input.groupIds?.length) {
    // Putting someone in a group is a group edit: it needs the right to manage groups too.
    assertCapability(access.capabilities, 'manageGroups');
    await addToGroupsIn(tx, actor, organizationId, member.id, input.groupIds);
  }
  recordAudit(
    tx,
    actor,
    organizationId,
    'member.invited',
    { type: 'member', id: member.id },
    { email, role: member.role, permissions: { ...NO_PERMISSIONS, ...member.permissions } },
    access.membership?.id,
  );
  return { member, invitationToken };
}

async function addToGroupsIn(
  tx: Transaction,
  actor: Actor,
  organizationId: string,
  memberId: string,
  groupIds: string[],
): Promise<void> {
  const repo = new GroupRepository(tx);
  const foreign = await repo.foreignGroupIds(organizationId, groupIds);
  if (foreign.length)
    throw new DomainError(ErrorCode.NOT_FOUND, `unknown group ids: ${foreign.join(', ')}`, 'groupIds');
  await refuseIdpGroupEdit(tx, actor, organizationId, groupIds);
  for (const groupId of new Set(groupIds))
    noteGroupMembers(tx, organizationId, groupId, await repo.addMembers(groupId, organizationId, [memberId]), []);
}

import { type Actor } from '../../domain/actor';
import { MemberStatus, NO_PERMISSIONS } from '../../domain/enums';
import { sameJson } from '../../domain/json';
import { type Member } from '../../entities';
import { MemberRepository } from '../../repositories/member.repository';
import { type Transaction, flush } from '../../repositories/unit-of-work';
import { type Access, authorize } from '../access';
import { recordAudit } from '../audit';
import { assertVersion } from '../base';
import { noteScimKeyExposure } from '../scim-key-exposure';
import { assertAuthority } from './member-authority';

export interface WriteOptions {
  /** Optimistic concurrency (SCIM If-Match): the write fails unless the member is at this version. */
  expectedVersion?: number;
}

/**
 * Loads the member in the caller's organization under a row lock, checks rights and version, runs `change`, then
 * audits what changed, in the caller's transaction; `auditData` joins the audit event's data.
 */
export async function changeMemberIn<T>(
  tx: Transaction,
  actor: Actor,
  organizationId: string,
  memberId: string,
  auditType: string,
  change: (tx: Transaction, member: Member, access: Access) => Promise<T>,
  opts: WriteOptions = {},
  auditData: Record<string, unknown> = {},
): Promise<T> {
  const access = await authorize(tx, actor, organizationId, 'manageMembers');
  const member = await new MemberRepository(tx).getInOrganization(organizationId, memberId, true);
  assertVersion(member, opts.expectedVersion, 'member');
  assertAuthority(access, member);
  const before = {
    status: member.status,
    role: member.role,
    permissions: { ...NO_PERMISSIONS, ...member.permissions },
  };
  const result = await change(tx, member, access);
  const removed = auditType === 'member.removed';
  await noteScimKeyExposure(tx, actor, organizationId, before, member, removed, access.membership?.id);
  const permissions = { ...NO_PERMISSIONS, ...member.permissions };
  const status = before.status !== member.status ? { from: before.status, to: member.status } : {};
  const grant = {
    ...(before.role !== member.role ? { roleFrom: before.role, roleTo: member.role } : {}),
    ...(!sameJson(before.permissions, permissions)
      ? { permissionsFrom: before.permissions, permissionsTo: permissions }
      : {}),
  };
  const audit = (type: string, data: Record<string, unknown>) =>
    recordAudit(tx, actor, organizationId, type, { type: 'member', id: member.id }, data, access.membership?.id);
  if (auditType === 'member.updated') {
    // An update names what happened: a (de)activation is a revocation or a restore, whoever asked for it (SCIM
    // PUT or PATCH), and the update itself is audited only when a role, a flag or a profile attribute changed.
    const { fields, reason, ...rest } = auditData as { fields: string[]; reason?: string };
    if (status.to)
      audit(status.to === MemberStatus.REVOKED ? 'member.revoked' : 'member.restored', {
        email: member.email,
        ...status,
        ...(reason ? { reason } : {}),
      });
    if (Object.keys(grant).length || fields.length)
      audit(auditType, { email: member.email, ...grant, ...(fields.length ? { fields } : {}), ...rest });
  } else audit(auditType, { email: member.email, ...status, ...grant, ...auditData });
  await flush(tx);
  return result;
}

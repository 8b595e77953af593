import { type Actor } from '../domain/actor';
import { DomainError, ErrorCode } from '../domain/errors';
import { scimProviderName } from '../domain/scim-providers';
import { GroupRepository } from '../repositories/group.repository';
import { ScimSettingsRepository } from '../repositories/scim-settings.repository';
import { type Transaction } from '../repositories/unit-of-work';

/**
 * MANAGED_BY_IDP when any of `groupIds` is a group the organization's identity provider pushes, while SCIM is on:
 * its membership is the provider's, which would silently undo an edit made here at its next sync. The provider
 * itself edits it, of course; with SCIM off, nothing syncs and the groups are the organization's to edit.
 */
export async function refuseIdpGroupEdit(
  tx: Transaction,
  actor: Actor,
  organizationId: string,
  groupIds: string[],
): Promise<void> {
  if (actor.kind === 'SCIM' || !groupIds.length) return;
  const managed = await new GroupRepository(tx).idpGroups(organizationId, [...new Set(groupIds)]);
  if (!managed.length) return;
  const settings = await new ScimSettingsRepository(tx).find(organizationId);
  if (!settings?.enabled) return;
  const names = managed.map((g) => g.displayName).join(', ');
  throw new DomainError(
    ErrorCode.MANAGED_BY_IDP,
    `${scimProviderName(settings.provider)} manages the members of ${names}: change them there`,
    'groupIds',
  );
}

import { randomBytes } from 'node:crypto';
import { type Actor, cliActor } from '../../src/domain/actor';
import { type Services } from '../../src/services/services';
import { type MemberProfile } from '../../src/domain/member-rules';

export const unique = (): string => randomBytes(4).toString('hex');

/**
 * A fresh organization as `orgctl org create` leaves it: its confirmed owner (`ownerId`, `ownerEmail`), the owner's
 * access token and an actor for the owner's account. Every test builds its organizations here.
 */
export async function makeOrganization(services: Services, name = `Org ${unique()}`) {
  const ownerEmail = `owner-${unique()}@example.test`;
  const result = await services.organizations.create(cliActor(), { name, ownerEmail, ownerName: 'Owner' });
  const ownerUser = await services.tokens.userForEmail(ownerEmail);
  const ownerActor: Actor = { kind: 'USER', userId: ownerUser.id, email: ownerEmail };
  return { ...result, ownerEmail, ownerActor, ownerId: result.owner.id, orgId: result.organization.id };
}

export async function userActor(services: Services, email: string): Promise<Actor> {
  const user = await services.tokens.userForEmail(email);
  return { kind: 'USER', userId: user.id, email: user.email };
}

export function profile(email: string, extra: Partial<MemberProfile> = {}): MemberProfile {
  return {
    email,
    userName: email,
    givenName: null,
    familyName: null,
    formattedName: null,
    displayName: null,
    externalId: null,
    emails: [{ value: email, type: 'work', primary: true }],
    employeeNumber: null,
    department: null,
    manager: null,
    ...extra,
  };
}

/** Invites, accepts and confirms a member; returns it with an actor for its user. */
export async function confirmedMember(services: Services, orgId: string, role = 'USER' as never) {
  const email = `m-${unique()}@example.test`;
  const { member, invitationToken } = await services.memberLifecycle.invite(cliActor(), orgId, { email, role });
  const actor = await userActor(services, email);
  await services.memberLifecycle.accept(actor, invitationToken);
  const confirmed = await services.memberLifecycle.confirm(cliActor(), orgId, member.id);
  return { member: confirmed, actor, email };
}

import { MemberStatus } from '../../domain/enums';
import { type MemberProfile } from '../../domain/member-rules';
import { type Group, type Member } from '../../entities';
import { etagOf } from '../protocol/http';
import { ENTERPRISE_USER_SCHEMA, type ScimUserState, USER_SCHEMA } from '../protocol/types';
import { chooseEmail } from './user-body';

/** The emails a member shows: what the IdP sent, else its login email as the primary work address. */
function emailsOf(member: Member): { value: string; type?: string; primary?: boolean }[] {
  return member.emails?.length ? member.emails : [{ value: member.email, type: 'work', primary: true }];
}

/** A member as the SCIM state the PATCH applier works on. */
export function memberToState(member: Member): ScimUserState {
  return {
    userName: member.userName,
    externalId: member.externalId,
    displayName: member.displayName,
    givenName: member.givenName,
    familyName: member.familyName,
    formattedName: member.formattedName,
    emails: emailsOf(member).map((e) => ({ ...e })),
    active: member.status !== MemberStatus.REVOKED,
    employeeNumber: member.employeeNumber,
    department: member.department,
    manager: member.manager,
  };
}

/**
 * SCIM state -> the member profile the services store. The login email follows DESIGN §4's choice; on PUT and
 * PATCH a state without any address keeps `currentEmail` (the member's login email is not a SCIM attribute an
 * IdP can clear, RFC 7643 §4.1.2 leaves emails optional).
 */
export function stateToProfile(state: ScimUserState, currentEmail?: string): MemberProfile {
  let email: string;
  try {
    email = chooseEmail(state);
  } catch (err) {
    if (currentEmail === undefined) throw err;
    email = currentEmail;
  }
  return {
    email,
    userName: state.userName,
    givenName: state.givenName,
    familyName: state.familyName,
    formattedName: state.formattedName,
    displayName: state.displayName,
    externalId: state.externalId,
    emails: state.emails.length ? state.emails : null,
    employeeNumber: state.employeeNumber,
    department: state.department,
    manager: state.manager,
  };
}

/** RFC 7643 §4.1 User resource (+ §4.3 enterprise extension when the member has any of it). */
export function userResource(member: Member, baseUrl: string, groups?: Group[]): Record<string, unknown> {
  const location = `${baseUrl}/Users/${member.id}`;
  const hasEnterprise = member.employeeNumber != null || member.department != null || member.manager != null;
  const name: Record<string, string> = {};
  if (member.givenName != null) name.givenName = member.givenName;
  if (member.familyName != null) name.familyName = member.familyName;
  if (member.formattedName != null) name.formatted = member.formattedName;
  const resource: Record<string, unknown> = {
    schemas: hasEnterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id: member.id,
    ...(member.externalId != null ? { externalId: member.externalId } : {}),
    userName: member.userName,
    ...(Object.keys(name).length ? { name } : {}),
    ...(member.displayName != null ? { displayName: member.displayName } : {}),
    emails: emailsOf(member),
    active: member.status !== MemberStatus.REVOKED,
  };
  if (groups) {
    resource.groups = groups.map((g) => ({
      value: g.id,
      display: g.displayName,
      $ref: `${baseUrl}/Groups/${g.id}`,
      type: 'direct',
    }));
  }
  if (hasEnterprise) {
    resource[ENTERPRISE_USER_SCHEMA] = {
      ...(member.employeeNumber != null ? { employeeNumber: member.employeeNumber } : {}),
      ...(member.department != null ? { department: member.department } : {}),
      ...(member.manager != null ? { manager: { value: member.manager } } : {}),
    };
  }
  resource.meta = {
    resourceType: 'User',
    created: member.createdAt.toISOString(),
    lastModified: member.updatedAt.toISOString(),
    location,
    version: etagOf(member.version),
  };
  return resource;
}

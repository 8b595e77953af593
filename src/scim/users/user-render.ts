import { MemberStatus } from '../../domain/enums';
import { type MemberProfile } from '../../domain/member-rules';
import { type MemberGroupRef, type MemberView as Member } from '../../read-models/member.view';
import { type ScimAttribute } from '../protocol/attributes';
import { etagOf } from '../protocol/http';
import { type ScimUserState, USER_LIST_FIELDS, USER_REQUIRED_FIELDS, USER_TEXT_FIELDS } from '../protocol/types';
import { USER_RESOURCE } from './user-attributes';
import { chooseEmail } from './user-body';

/** The emails a member shows: what the IdP sent, else its login email as the primary work address. */
function emailsOf(member: Member): { value: string; type?: string; primary?: boolean }[] {
  return member.emails?.length ? member.emails : [{ value: member.email, type: 'work', primary: true }];
}

/** A member as the SCIM state the PATCH applier works on. */
export function memberToState(member: Member): ScimUserState {
  const state = { active: member.status !== MemberStatus.REVOKED } as ScimUserState;
  for (const id of USER_REQUIRED_FIELDS) state[id] = member[id];
  for (const id of USER_TEXT_FIELDS) state[id] = member[id];
  for (const id of USER_LIST_FIELDS)
    state[id] = (id === 'emails' ? emailsOf(member) : (member[id] ?? [])).map((e) => ({ ...e }));
  return state;
}

/**
 * SCIM state -> the member profile the services store. The login email is `chooseEmail`'s; on PUT and
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
  const { active: _active, ...fields } = state;
  const profile: MemberProfile = { ...fields, email };
  for (const id of USER_LIST_FIELDS) if (!state[id].length) profile[id] = null;
  return profile;
}

/** Reads a state field (an attribute's `field`). */
type StateFields = (field: string) => unknown;

/** The member's state fields, read without building the state: the profile fields are the read model's own. */
function stateFieldsOf(member: Member): StateFields {
  const active = member.status !== MemberStatus.REVOKED;
  return (field) =>
    field === 'active' ? active : field === 'emails' ? emailsOf(member) : member[field as keyof Member];
}

/**
 * The stored attributes of a schema as resource JSON, read from the registry: absent (null, empty) values are left
 * out; a complex attribute stored in sub-attribute fields (`name`) is an object of them; a reference (`manager`)
 * is `{ value }`. Read-only attributes without a field (`groups`) and returned=never ones are not stored here.
 */
function renderAttributes(attributes: ScimAttribute[], fields: StateFields): Record<string, unknown> {
  const present = (v: unknown) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);
  const out: Record<string, unknown> = {};
  for (const a of attributes) {
    if (a.returned === 'never') continue;
    const value = a.field !== undefined ? fields(a.field) : undefined;
    if (a.type === 'complex' && !a.multiValued && a.field === undefined) {
      const parts: Record<string, unknown> = {};
      for (const sub of a.subAttributes ?? []) {
        const part = sub.field !== undefined ? fields(sub.field) : undefined;
        if (present(part)) parts[sub.name] = part;
      }
      if (Object.keys(parts).length) out[a.name] = parts;
    } else if (a.type === 'complex' && !a.multiValued) {
      if (present(value)) out[a.name] = { value };
    } else if (present(value)) out[a.name] = value;
  }
  return out;
}

/** RFC 7643 §4.1 User resource (+ §4.3 enterprise extension when the member has any of it). */
export function userResource(member: Member, baseUrl: string, groups?: MemberGroupRef[]): Record<string, unknown> {
  const location = `${baseUrl}/Users/${member.id}`;
  const state = stateFieldsOf(member);
  const extensions = USER_RESOURCE.extensions
    .map((schema) => ({ urn: schema.urn, attributes: renderAttributes(schema.attributes, state) }))
    .filter((e) => Object.keys(e.attributes).length > 0);
  const resource: Record<string, unknown> = {
    schemas: [USER_RESOURCE.core.urn, ...extensions.map((e) => e.urn)],
    id: member.id,
    ...(member.externalId != null ? { externalId: member.externalId } : {}),
    ...renderAttributes(USER_RESOURCE.core.attributes, state),
  };
  if (groups) {
    resource.groups = groups.map((g) => ({
      value: g.id,
      display: g.displayName,
      $ref: `${baseUrl}/Groups/${g.id}`,
      type: 'direct',
    }));
  }
  for (const extension of extensions) resource[extension.urn] = extension.attributes;
  resource.meta = {
    resourceType: 'User',
    created: member.createdAt.toISOString(),
    lastModified: member.updatedAt.toISOString(),
    location,
    version: etagOf(member.version),
  };
  return resource;
}

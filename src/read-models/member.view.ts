import {
  type MemberPermissions,
  type MemberRole,
  type MemberSource,
  type MemberStatus,
  type RoleSource,
} from '../domain/enums';
import { NO_PERMISSIONS } from '../domain/enums';
import {
  MEMBER_FIELD_LIST,
  type MemberFieldId,
  type MemberProfileValues,
  type TypedValue,
} from '../domain/member-fields';
import { type Member } from '../entities';

/** One address of the SCIM `emails` list (or one phone number), as the identity provider sent it. */
export type MemberEmailView = Readonly<TypedValue>;
export type MemberPhoneNumberView = MemberEmailView;

/** A group a member is in, as a member's own rendering names it (SCIM User.groups). */
export interface MemberGroupRef {
  readonly id: string;
  readonly displayName: string;
}

/**
 * A member as the transports read it: the profile (every field of `src/domain/member-fields.ts`), the membership's
 * lifecycle, relations as plain ids. Never the invitation token's hash. Field names are the entity's, so a keyset
 * cursor reads the same from either.
 */
export interface MemberView extends Readonly<MemberProfileValues> {
  readonly id: string;
  readonly organizationId: string;
  /** The account linked when the invitation was accepted; null before. */
  readonly userId: string | null;
  readonly role: MemberRole;
  /** All flags, absent ones false. */
  readonly permissions: MemberPermissions;
  /** Set by hand, or from the member's groups' role mappings. */
  readonly roleSource: RoleSource;
  /** The group whose mapping decided the role; null when set by hand or the default. */
  readonly roleGrantedById: string | null;
  readonly status: MemberStatus;
  /** The status a restore returns to. */
  readonly priorStatus: MemberStatus | null;
  readonly revocationReason: string | null;
  /** "Keep revoked": when and by whom; an identity provider's `active: true` leaves the member REVOKED. */
  readonly revocationHeldAt: Date | null;
  readonly revocationHeldBy: string | null;
  readonly source: MemberSource;
  readonly invitationExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Optimistic-concurrency version (SCIM ETag). */
  readonly version: number;
}

type Decode = (value: unknown) => unknown;
const orNull: Decode = (value) => value ?? null;
const asIs: Decode = (value) => value;
// node-postgres hands timestamps back as text and may hand jsonb as text; PGlite and entities give them parsed
const dateOf: Decode = (value) => (value instanceof Date ? value : new Date(value as string));
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

/**
 * How each field of the read model is read from a stored member (an entity's property, a row's column): the
 * profile's from the field table, then the lifecycle's. The type makes it list every field.
 */
const READ: { readonly [K in keyof MemberView]-?: Decode } = {
  ...(Object.fromEntries(
    MEMBER_FIELD_LIST.map((f) => [f.id, f.type === 'typedValues' ? (v: unknown) => parsed(v) ?? null : orNull]),
  ) as Record<MemberFieldId, Decode>),
  id: asIs,
  organizationId: asIs,
  userId: orNull,
  role: asIs,
  permissions: (value) => ({ ...NO_PERMISSIONS, ...(parsed(value) as Partial<MemberPermissions> | null) }),
  roleSource: asIs,
  roleGrantedById: orNull,
  status: asIs,
  priorStatus: orNull,
  revocationReason: orNull,
  revocationHeldAt: (value) => (value == null ? null : dateOf(value)),
  revocationHeldBy: orNull,
  source: asIs,
  invitationExpiresAt: (value) => (value == null ? null : dateOf(value)),
  createdAt: dateOf,
  updatedAt: dateOf,
  version: Number,
};

/** The read model's fields: a source must hold each of them (a row, the columns named after them). */
export const MEMBER_VIEW_FIELDS = Object.keys(READ) as readonly (keyof MemberView)[];

/** A property path of the source (`user_id`, `organization.id`, `user?.id`): the compiled reader names it as is. */
const PROPERTY_PATH = /^[A-Za-z_]\w*(\??\.[A-Za-z_]\w*)*$/;

/**
 * The one mapper to the read model, for entities (`memberView`) and rows (`memberViewOfRow` in the repositories):
 * `sourceOf` names where each field is in the source. It is compiled once, when its module loads, into one object
 * literal: a loop over the fields cost twenty times as much on the list paths, which read thousands of members.
 */
export function compileMemberReader(sourceOf: (field: keyof MemberView) => string): (source: object) => MemberView {
  const entries = MEMBER_VIEW_FIELDS.map((field) => {
    const path = sourceOf(field);
    if (!PROPERTY_PATH.test(field) || !PROPERTY_PATH.test(path))
      throw new Error(`not a property: "${field}", "${path}"`);
    return `${field}: read.${field}(source.${path})`;
  });
  // compiled from the field names above and property paths checked by PROPERTY_PATH, never from input
  const compile = new Function('read', `return (source) => ({ ${entries.join(', ')} });`);
  return compile(READ) as (source: object) => MemberView;
}

const entityReader = compileMemberReader((field) =>
  field === 'organizationId' ? 'organization.id' : field === 'userId' ? 'user?.id' : field,
);

/** An entity as the read model. */
export const memberView = (m: Member): MemberView => entityReader(m);

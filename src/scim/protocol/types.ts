/** Schema URNs (RFC 7643 §8.7, RFC 7644 §3.1) and the pure state types shared by the SCIM building blocks. */
import {
  MEMBER_FIELD_LIST,
  type MemberFieldId,
  type MemberProfileValues,
  type TypedValue,
} from '../../domain/member-fields';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** SCIM 1.1 URNs some IdPs (OneLogin) still send; accepted as aliases of the 2.0 core / enterprise schemas. */
export const LEGACY_CORE_SCHEMA = 'urn:scim:schemas:core:1.0';
export const LEGACY_ENTERPRISE_SCHEMA = 'urn:scim:schemas:extension:enterprise:1.0';

export type ScimResourceType = 'User' | 'Group';

/** One entry of a multi-valued `value`/`type`/`primary` attribute: `emails`, `phoneNumbers` (RFC 7643 §4.1.2). */
export type ScimTypedValue = TypedValue;
export type ScimEmail = ScimTypedValue;
export type ScimPhoneNumber = ScimTypedValue;

/** A profile field's value in the state: as stored, but a list is never null (an empty one is "none"). */
type StateValue<V> = [V] extends [string | null] ? V : NonNullable<V>;

/**
 * The modifiable attributes of a SCIM User as this service stores them (one Member row): the member's profile
 * fields (`src/domain/member-fields.ts`) but the login email, which is chosen among `emails`, and `active`.
 */
export type ScimUserState = {
  [K in Exclude<MemberFieldId, 'email'>]: StateValue<MemberProfileValues[K]>;
} & { active: boolean };

export type ScimUserField = keyof ScimUserState;
/** The fields that hold one optional string (`title`, `name.givenName`'s, `manager`'s). */
export type ScimTextField = {
  [K in ScimUserField]: ScimUserState[K] extends string | null ? (null extends ScimUserState[K] ? K : never) : never;
}[ScimUserField];
/** The fields that hold a list of typed values (`emails`, `phoneNumbers`). */
export type ScimListField = { [K in ScimUserField]: ScimUserState[K] extends unknown[] ? K : never }[ScimUserField];
/** The fields that hold a string that is never empty (`userName`). */
export type ScimRequiredField = Exclude<
  { [K in ScimUserField]: ScimUserState[K] extends string ? K : never }[ScimUserField],
  ScimTextField
>;

/** The profile fields a SCIM user state holds, computed once. */
export const USER_STATE_FIELDS = MEMBER_FIELD_LIST.filter(
  (f): f is (typeof MEMBER_FIELD_LIST)[number] & { id: Exclude<MemberFieldId, 'email'> } => f.id !== 'email',
);
const idsWhere = <K extends ScimUserField>(pick: (f: (typeof USER_STATE_FIELDS)[number]) => boolean) =>
  USER_STATE_FIELDS.filter(pick).map((f) => f.id as K);
/** The state's fields by kind, computed once. */
export const USER_TEXT_FIELDS = idsWhere<ScimTextField>((f) => f.type === 'text' && !f.required);
export const USER_LIST_FIELDS = idsWhere<ScimListField>((f) => f.type === 'typedValues');
export const USER_REQUIRED_FIELDS = idsWhere<ScimRequiredField>((f) => f.type === 'text' && f.required === true);
const TEXT: ReadonlySet<string> = new Set(USER_TEXT_FIELDS);
const LIST: ReadonlySet<string> = new Set(USER_LIST_FIELDS);
const REQUIRED: ReadonlySet<string> = new Set(USER_REQUIRED_FIELDS);

export const isTextField = (f: string | undefined): f is ScimTextField => f !== undefined && TEXT.has(f);
export const isListField = (f: string | undefined): f is ScimListField => f !== undefined && LIST.has(f);
export const isRequiredField = (f: string | undefined): f is ScimRequiredField => f !== undefined && REQUIRED.has(f);

/** A blank user (all optional attributes absent, active); PUT/POST bodies are applied onto it. */
export function emptyUserState(): ScimUserState {
  const state = { active: true } as ScimUserState;
  for (const id of USER_REQUIRED_FIELDS) state[id] = '';
  for (const id of USER_TEXT_FIELDS) state[id] = null;
  for (const id of USER_LIST_FIELDS) state[id] = [];
  return state;
}

/** Keys that must never be copied from client JSON onto an object (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export { isUuid } from '../../domain/ids';

/** Schema URNs (RFC 7643 §8.7, RFC 7644 §3.1) and the pure state types shared by the SCIM building blocks. */

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
export interface ScimTypedValue {
  value: string;
  type?: string;
  primary?: boolean;
}

export type ScimEmail = ScimTypedValue;
export type ScimPhoneNumber = ScimTypedValue;

/** The modifiable attributes of a SCIM User as this service stores them (one Member row). */
export interface ScimUserState {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  formattedName: string | null;
  title: string | null;
  emails: ScimEmail[];
  phoneNumbers: ScimPhoneNumber[];
  active: boolean;
  employeeNumber: string | null;
  costCenter: string | null;
  /** The enterprise extension's `organization` (a name, not this service's organization). */
  enterpriseOrganization: string | null;
  department: string | null;
  manager: string | null;
}

/** A blank user (all optional attributes absent, active); PUT/POST bodies are applied onto it. */
export const emptyUserState = (): ScimUserState => ({
  userName: '',
  externalId: null,
  displayName: null,
  givenName: null,
  familyName: null,
  formattedName: null,
  title: null,
  emails: [],
  phoneNumbers: [],
  active: true,
  employeeNumber: null,
  costCenter: null,
  enterpriseOrganization: null,
  department: null,
  manager: null,
});

/** Keys that must never be copied from client JSON onto an object (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export { isUuid } from '../../domain/ids';

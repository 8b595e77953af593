import { registerEnumType } from 'type-graphql';
import { GroupSource, MemberRole, MemberSource, MemberStatus, RoleSource, ScimProvider } from '../../domain/enums';
import { ErrorCode } from '../../domain/errors';

// The domain enums are exposed as they are: one vocabulary from the database to the client.

registerEnumType(MemberRole, {
  name: 'MemberRole',
  description: 'The role of a member in its organization.',
  valuesConfig: {
    OWNER: { description: 'Everything, including managing other owners.' },
    ADMIN: { description: 'Everything except managing owners.' },
    USER: { description: "Reads the organization's name and its own membership only." },
    CUSTOM: { description: 'The rights granted by its permission flags.' },
  },
});

registerEnumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'Where a member is in its lifecycle: STAGED -> INVITED -> ACCEPTED -> CONFIRMED, or REVOKED.',
  valuesConfig: {
    STAGED: { description: 'Provisioned by SCIM without an invitation; occupies no seat.' },
    INVITED: { description: 'Invited by e-mail, not yet accepted.' },
    ACCEPTED: { description: 'Accepted by its user, waiting for an admin to confirm it.' },
    CONFIRMED: { description: 'A full member of the organization.' },
    REVOKED: { description: 'Access revoked; restoring returns it to its prior status.' },
  },
});

registerEnumType(GroupSource, {
  name: 'GroupSource',
  description: 'How a group came to exist.',
  valuesConfig: {
    MANUAL: { description: 'Created in the console or over GraphQL.' },
    SCIM: { description: 'Pushed by an identity provider over SCIM; its name and members follow the directory.' },
  },
});

registerEnumType(RoleSource, {
  name: 'RoleSource',
  description: "Where a member's role comes from.",
  valuesConfig: {
    MANUAL: { description: 'Set by an administrator; group role mappings leave it alone.' },
    GROUPS: {
      description: "The highest role its groups' role mappings give (the organization's default role without one).",
    },
  },
});

registerEnumType(MemberSource, {
  name: 'MemberSource',
  description: 'How a member came to exist.',
  valuesConfig: {
    INVITE: { description: 'Invited by an admin.' },
    SCIM: { description: 'Provisioned by an identity provider over SCIM.' },
    OWNER: { description: 'Created together with its organization, as its first owner.' },
  },
});

registerEnumType(ScimProvider, {
  name: 'ScimProvider',
  description: 'The identity provider that provisions the organization over SCIM.',
  valuesConfig: {
    DEFAULT: { description: 'Any RFC 7644 client.' },
    JUMPCLOUD: { description: 'JumpCloud.' },
    OKTA: { description: 'Okta.' },
    AZURE_AD: { description: 'Microsoft Entra ID (Azure AD).' },
    ONELOGIN: { description: 'OneLogin.' },
    PING: { description: 'Ping Identity.' },
    GOOGLE: { description: 'Google Workspace.' },
    RIPPLING: { description: 'Rippling.' },
  },
});

registerEnumType(ErrorCode, {
  name: 'ErrorCode',
  description: 'Why a mutation (or one item of a bulk mutation) did not happen.',
  valuesConfig: {
    NOT_FOUND: { description: 'The object does not exist or the viewer may not see it.' },
    FORBIDDEN: { description: 'The viewer may see the object but not make this change.' },
    UNAUTHENTICATED: { description: 'No valid credentials.' },
    INVALID_INPUT: { description: 'A value is malformed or out of range.' },
    DUPLICATE_EMAIL: { description: 'A member with this email already exists in the organization.' },
    DUPLICATE_USER_NAME: { description: 'A member with this userName already exists in the organization.' },
    DUPLICATE_EXTERNAL_ID: { description: 'A member with this externalId already exists in the organization.' },
    DUPLICATE_GROUP: { description: 'A group with this externalId already exists in the organization.' },
    LAST_OWNER: { description: 'The change would leave the organization without a confirmed owner.' },
    SEAT_LIMIT: { description: 'The organization has no free seat.' },
    INVALID_STATE: { description: "The member's status does not allow this change." },
    INVALID_TOKEN: { description: 'The invitation token is invalid or expired.' },
    EMAIL_MISMATCH: { description: "The invitation was sent to another address than the viewer's." },
    VERSION_MISMATCH: { description: 'The object changed meanwhile; read it again.' },
    UNKNOWN_MEMBERS: { description: 'Some member ids are not members of this organization.' },
    MANAGED_BY_IDP: {
      description: "The identity provider manages it (a SCIM group's membership): change it there.",
    },
    RATE_LIMITED: { description: 'Too many requests; retry later.' },
    UNAVAILABLE: { description: 'A dependency is unavailable; retry later.' },
  },
});

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Sort direction.',
  valuesConfig: { ASC: { description: 'Ascending.' }, DESC: { description: 'Descending.' } },
});

export enum MemberOrderField {
  CREATED_AT = 'CREATED_AT',
  EMAIL = 'EMAIL',
  USER_NAME = 'USER_NAME',
  DISPLAY_NAME = 'DISPLAY_NAME',
}
registerEnumType(MemberOrderField, {
  name: 'MemberOrderField',
  description: 'What members are sorted by.',
  valuesConfig: {
    CREATED_AT: { description: 'Creation time.' },
    EMAIL: { description: 'Email, case-insensitively.' },
    USER_NAME: { description: 'userName, case-insensitively.' },
    DISPLAY_NAME: { description: 'Display name, case-insensitively.' },
  },
});

export enum GroupOrderField {
  CREATED_AT = 'CREATED_AT',
  DISPLAY_NAME = 'DISPLAY_NAME',
}
registerEnumType(GroupOrderField, {
  name: 'GroupOrderField',
  description: 'What groups are sorted by.',
  valuesConfig: {
    CREATED_AT: { description: 'Creation time.' },
    DISPLAY_NAME: { description: 'Display name, case-insensitively.' },
  },
});

/** Where an audited change came from (the actor kind, in the console's words). */
export enum AuditSource {
  CONSOLE = 'CONSOLE',
  SCIM = 'SCIM',
  CLI = 'CLI',
  SYSTEM = 'SYSTEM',
}
registerEnumType(AuditSource, {
  name: 'AuditSource',
  description: 'Where an audited change came from.',
  valuesConfig: {
    CONSOLE: { description: 'A person: in the console, or over the API with their token.' },
    SCIM: { description: "The organization's identity provider over SCIM." },
    CLI: { description: 'An operator with orgctl.' },
    SYSTEM: { description: 'orgd itself.' },
  },
});

export enum ActorKind {
  USER = 'USER',
  SCIM = 'SCIM',
  CLI = 'CLI',
  SYSTEM = 'SYSTEM',
}
registerEnumType(ActorKind, {
  name: 'ActorKind',
  description: 'Who performed an audited change.',
  valuesConfig: {
    USER: { description: 'A signed-in user (access token or OIDC).' },
    SCIM: { description: "The organization's identity provider over SCIM." },
    CLI: { description: 'An operator with orgctl.' },
    SYSTEM: { description: 'The service itself.' },
  },
});

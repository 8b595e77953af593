export enum MemberRole {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  USER = 'USER',
  CUSTOM = 'CUSTOM',
}

export enum MemberStatus {
  STAGED = 'STAGED',
  INVITED = 'INVITED',
  ACCEPTED = 'ACCEPTED',
  CONFIRMED = 'CONFIRMED',
  REVOKED = 'REVOKED',
}

/** How a group came to exist: pushed by an identity provider over SCIM, or created here (GraphQL, console). */
export enum GroupSource {
  MANUAL = 'MANUAL',
  SCIM = 'SCIM',
}

/** Where a member's role comes from: set by hand, or the highest role its groups map to (group role mappings). */
export enum RoleSource {
  MANUAL = 'MANUAL',
  GROUPS = 'GROUPS',
}

export enum MemberSource {
  INVITE = 'INVITE',
  SCIM = 'SCIM',
  OWNER = 'OWNER',
}

export enum ScimProvider {
  DEFAULT = 'default',
  JUMPCLOUD = 'jumpcloud',
  OKTA = 'okta',
  AZURE_AD = 'azure-ad',
  ONELOGIN = 'onelogin',
  PING = 'ping',
  GOOGLE = 'google',
  RIPPLING = 'rippling',
}

export enum ApiKeyKind {
  SCIM = 'SCIM',
  ACCESS_TOKEN = 'ACCESS_TOKEN',
}

export enum OutboxStatus {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}

/** A webhook delivery: owed (and retried), delivered (a 2xx), or given up. */
export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/** CUSTOM role capability flags (Bitwarden-style). */
export interface MemberPermissions {
  manageUsers: boolean;
  manageGroups: boolean;
  manageScim: boolean;
  accessEventLogs: boolean;
  /** Enable and disable SCIM and rotate its key. Owner-only: only an OWNER gives it (a SCIM key may manage owners). */
  manageScimKeys: boolean;
  /** Add, change and remove the organization's webhook endpoints and see their deliveries. */
  manageWebhooks: boolean;
}

export const NO_PERMISSIONS: MemberPermissions = {
  manageUsers: false,
  manageGroups: false,
  manageScim: false,
  accessEventLogs: false,
  manageScimKeys: false,
  manageWebhooks: false,
};

export const PERMISSION_FLAGS: readonly (keyof MemberPermissions)[] = [
  'manageUsers',
  'manageGroups',
  'manageScim',
  'accessEventLogs',
  'manageScimKeys',
  'manageWebhooks',
];

/** Flags only an OWNER (or an operator) may give: they reach as far as an owner's own powers. */
export const OWNER_ONLY_FLAGS: readonly (keyof MemberPermissions)[] = ['manageScimKeys'];

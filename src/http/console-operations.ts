/**
 * The GraphQL operation names the admin console sends (the `query`/`mutation` documents in web/src): the only
 * names `graphql_operations_total` keeps as labels; any other name counts as `other`, so a client cannot grow
 * the label set. test/metrics/console-operations.test.ts fails when the console gains an operation not listed here.
 */
export const CONSOLE_OPERATIONS: ReadonlySet<string> = new Set([
  'AcceptedMemberIds',
  'AccessTokenCreate',
  'AccessTokenRevoke',
  'Account',
  'EventLog',
  'GroupCreate',
  'GroupDelete',
  'GroupDetail',
  'GroupMembersAdd',
  'GroupMembersRemove',
  'GroupUpdate',
  'Groups',
  'MemberPicker',
  'MemberRoleUpdate',
  'Members',
  'MembersConfirm',
  'MembersInvite',
  'MembersReinvite',
  'MembersRemove',
  'MembersRestore',
  'MembersRevoke',
  'OrganizationCreate',
  'OrganizationHeader',
  'Organizations',
  'ProvisioningActivity',
  'ScimApiKeyRotate',
  'ScimSettings',
  'ScimSettingsUpdate',
  'SessionRevoke',
  'Viewer',
]);

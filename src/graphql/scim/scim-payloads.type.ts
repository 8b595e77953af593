import { Field, ID, ObjectType } from 'type-graphql';
import { GroupNode } from '../group/group.type';
import { OrganizationNode } from '../organization/organization.type';
import { ScimSettingsNode } from './scim.type';
import { UserError } from '../common/user-error.type';
import { AccessTokenNode } from '../viewer/viewer.type';

@ObjectType('OrganizationPayload', { description: 'Result of organizationCreate or organizationUpdate.' })
export class OrganizationPayload {
  @Field(() => OrganizationNode, {
    nullable: true,
    description: 'The organization after the change; null when it failed.',
  })
  organization!: OrganizationNode | null;

  @Field(() => [UserError], { description: 'Why the change did not happen; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('GroupPayload', { description: 'Result of a mutation on one group.' })
export class GroupPayload {
  @Field(() => GroupNode, { nullable: true, description: 'The group after the change; null when it failed.' })
  group!: GroupNode | null;

  @Field(() => [UserError], { description: 'Why the change did not happen; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('GroupDeletePayload', { description: 'Result of groupDelete.' })
export class GroupDeletePayload {
  @Field(() => ID, { nullable: true, description: 'The id of the deleted group; null when it failed.' })
  deletedGroupId!: string | null;

  @Field(() => [UserError], { description: 'Why the group was not deleted; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('ScimSettingsPayload', { description: 'Result of scimSettingsUpdate.' })
export class ScimSettingsPayload {
  @Field(() => String, {
    nullable: true,
    description:
      'The new SCIM API key, in clear, shown this once: set when enabling issued a key (no current key, or re-enabling after a disable); null otherwise.',
  })
  apiKey!: string | null;

  @Field(() => ScimSettingsNode, { nullable: true, description: 'The settings after the change; null when it failed.' })
  scim!: ScimSettingsNode | null;

  @Field(() => [UserError], { description: 'Why the change did not happen; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('ScimApiKeyRotatePayload', { description: 'Result of scimApiKeyRotate.' })
export class ScimApiKeyRotatePayload {
  @Field(() => String, {
    nullable: true,
    description:
      'The new SCIM API key, in clear, shown this once. The old key stopped working, or works until scim.previousKey.validUntil.',
  })
  apiKey!: string | null;

  @Field(() => ScimSettingsNode, { nullable: true, description: 'The settings with the new key hint.' })
  scim!: ScimSettingsNode | null;

  @Field(() => [UserError], { description: 'Why the key was not rotated; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('ScimPreviousKeyRevokePayload', { description: 'Result of scimPreviousKeyRevoke.' })
export class ScimPreviousKeyRevokePayload {
  @Field(() => ScimSettingsNode, {
    nullable: true,
    description: 'The settings after the change (previousKey is null); null when it failed.',
  })
  scim!: ScimSettingsNode | null;

  @Field(() => [UserError], { description: 'Why the previous key was not revoked; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('AccessTokenCreatePayload', { description: 'Result of accessTokenCreate.' })
export class AccessTokenCreatePayload {
  @Field(() => String, { nullable: true, description: 'The new access token, in clear, shown this once.' })
  token!: string | null;

  @Field(() => AccessTokenNode, { nullable: true, description: 'The token as listed afterwards.' })
  accessToken!: AccessTokenNode | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True when the requested expiry (or its absence: never) was brought forward to the end of the credential that made the request: a token never outlives its parent. Null when no token was created.',
  })
  expiryCapped!: boolean | null;

  @Field(() => [UserError], { description: 'Why no token was created; empty on success.' })
  userErrors!: UserError[];
}

@ObjectType('AccessTokenRevokePayload', { description: 'Result of accessTokenRevoke.' })
export class AccessTokenRevokePayload {
  @Field(() => AccessTokenNode, { nullable: true, description: 'The revoked token.' })
  accessToken!: AccessTokenNode | null;

  @Field(() => [UserError], { description: 'Why the token was not revoked; empty on success.' })
  userErrors!: UserError[];
}

import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../common/user-error.type';
import { ScimSettingsNode } from './scim.type';

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

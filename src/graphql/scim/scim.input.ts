import { IsUUID } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { ScimProvider } from '../../domain/enums';
import '../common/enums';
import { DeprovisioningSafeguardInput } from './safeguard.input';

@InputType('ScimSettingsUpdateInput', {
  description: 'Change SCIM provisioning settings; omitted fields keep their value.',
})
export class ScimSettingsUpdateInput {
  @Field(() => ID, { description: 'The organization.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => Boolean, { nullable: true, description: 'Turn the SCIM endpoint on or off.' })
  enabled?: boolean;

  @Field(() => ScimProvider, { nullable: true, description: 'The identity provider in use.' })
  provider?: ScimProvider;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: invite provisioned users by e-mail; false: stage them silently.',
  })
  inviteUsersAfterProvisioning?: boolean;

  @Field(() => DeprovisioningSafeguardInput, {
    nullable: true,
    description:
      'The deprovisioning safeguard (owner authority: OWNER or manageScimKeys); a threshold or window out of range is INVALID_INPUT.',
  })
  deprovisioningSafeguard?: DeprovisioningSafeguardInput;
}

@InputType('ScimApiKeyRotateInput', {
  description: 'Issue a new SCIM API key; the old one stops working at once, or after an overlap.',
})
export class ScimApiKeyRotateInput {
  @Field(() => ID, { description: 'The organization.' })
  @IsUUID('all')
  organizationId!: string;

  @Field(() => Int, {
    nullable: true,
    description:
      'Minutes the old key keeps working beside the new one (at most 10080, 7 days), to paste the new key into the identity provider without a failed sync. Omitted or 0: the old key stops working at once (a leaked key).',
  })
  previousKeyValidMinutes?: number;
}

@InputType('ScimPreviousKeyRevokeInput', { description: "End a rotation's overlap: the previous key stops working." })
export class ScimPreviousKeyRevokeInput {
  @Field(() => ID, { description: 'The organization.' })
  @IsUUID('all')
  organizationId!: string;
}

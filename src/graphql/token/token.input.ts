import { IsUUID, MaxLength } from 'class-validator';
import { Field, GraphQLISODateTime, ID, InputType } from 'type-graphql';

@InputType('AccessTokenCreateInput', { description: 'A new access token for the viewer.' })
export class AccessTokenCreateInput {
  @Field(() => String, { nullable: true, description: 'A label to recognise the token by.' })
  @MaxLength(200)
  name?: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the token stops working (in the future); omitted: until revoked. Brought forward to the end of the credential making the request when that ends earlier (see expiryCapped).',
  })
  expiresAt?: Date;
}

@InputType('AccessTokenRevokeInput', { description: "Revoke one of the viewer's access tokens." })
export class AccessTokenRevokeInput {
  @Field(() => ID, { description: 'Id of the token (viewer.accessTokens).' })
  @IsUUID('all')
  id!: string;
}

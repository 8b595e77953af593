import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../common/user-error.type';
import { AccessTokenNode } from '../viewer/viewer.type';

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

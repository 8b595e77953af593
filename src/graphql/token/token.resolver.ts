import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { attempt } from '../errors';
import { mutationPayload } from '../payload';
import { AccessTokenCreateInput, AccessTokenRevokeInput } from './token.input';
import { AccessTokenCreatePayload, AccessTokenRevokePayload } from './token-payloads.type';
import { AccessTokenNode } from '../viewer/viewer.type';

@Resolver()
export class TokenResolver {
  @Mutation(() => AccessTokenCreatePayload, {
    description:
      'Create an access token for the viewer; it is returned in clear this once. The new token is a child of the credential that made the request: revoked with it, and expiring no later than it.',
  })
  async accessTokenCreate(
    @Arg('input', () => AccessTokenCreateInput, { description: 'An optional label and expiry.' })
    input: AccessTokenCreateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AccessTokenCreatePayload> {
    const outcome = await attempt(() =>
      ctx.services.tokens.create(ctx.actor, { name: input.name ?? null, expiresAt: input.expiresAt ?? null }),
    );
    return {
      token: outcome.value?.token ?? null,
      accessToken: outcome.value && AccessTokenNode.from(outcome.value.apiKey),
      expiryCapped: outcome.value?.expiryCapped ?? null,
      userErrors: outcome.userErrors,
    };
  }

  @Mutation(() => AccessTokenRevokePayload, {
    description: "Revoke one of the viewer's access tokens; it stops working at once.",
  })
  async accessTokenRevoke(
    @Arg('input', () => AccessTokenRevokeInput, { description: 'The token.' }) input: AccessTokenRevokeInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AccessTokenRevokePayload> {
    return mutationPayload(
      ctx,
      'accessToken',
      () => ctx.services.tokens.revoke(ctx.actor, input.id),
      AccessTokenNode.from,
    );
  }
}

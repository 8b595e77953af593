import { Arg, Ctx, FieldResolver, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { mutationPayload } from '../common/payload';
import { SessionRevokeInput } from './session.input';
import { SessionNode, SessionRevokePayload } from './session.type';
import { Viewer } from './viewer.type';

@Resolver(() => Viewer)
export class SessionResolver {
  @FieldResolver(() => [SessionNode], { description: "The viewer's browser sessions that still work, newest first." })
  async sessions(@Ctx() ctx: GraphQLContext): Promise<SessionNode[]> {
    return (await ctx.services.sessions.list(ctx.actor)).map((s) => SessionNode.from(s, ctx.actor.sessionId));
  }

  @Mutation(() => SessionRevokePayload, {
    description: "Revoke one of the viewer's browser sessions (signs that browser out at once).",
  })
  async sessionRevoke(
    @Arg('input', () => SessionRevokeInput, { description: 'The session.' }) input: SessionRevokeInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SessionRevokePayload> {
    return mutationPayload(
      ctx,
      'session',
      () => ctx.services.sessions.revoke(ctx.actor, input.id),
      (session) => SessionNode.from(session, ctx.actor.sessionId),
    );
  }
}

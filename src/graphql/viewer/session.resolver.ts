import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { type Connection } from '../common/connection.type';
import { connectionFromPage } from '../common/connections';
import { ForwardPageArgs } from '../common/page.args';
import { mutationPayload } from '../payload';
import { SessionRevokeInput } from './session.input';
import { SessionConnection, SessionNode, SessionRevokePayload } from './session.type';
import { Viewer } from './viewer.type';

@Resolver(() => Viewer)
export class SessionResolver {
  @FieldResolver(() => SessionConnection, {
    description:
      "The viewer's browser sessions that still work, newest first (at most SESSIONS_PER_ACCOUNT: opening one more ends the oldest).",
  })
  async sessions(
    @Args(() => ForwardPageArgs) args: ForwardPageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<SessionNode>> {
    const page = await ctx.services.sessions.listPage(ctx.actor, { first: args.first, after: args.after });
    return connectionFromPage(page, (s) => SessionNode.from(s, ctx.actor.sessionId));
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

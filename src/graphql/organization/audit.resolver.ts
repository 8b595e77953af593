import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../context';
import { AuditActor, AuditTarget } from './audit-event.type';
import { MemberNode } from '../member/member.type';

async function memberOf(
  ctx: GraphQLContext,
  organizationId: string,
  memberId: string | null,
): Promise<MemberNode | null> {
  if (!memberId) return null;
  const member = await ctx.loaders.member(organizationId).load(memberId);
  return member ? MemberNode.from(member) : null;
}

@Resolver(() => AuditActor)
export class AuditActorResolver {
  @FieldResolver(() => MemberNode, {
    nullable: true,
    description: 'The acting member, while it exists and the viewer may see it.',
  })
  member(@Root() actor: AuditActor, @Ctx() ctx: GraphQLContext): Promise<MemberNode | null> {
    return memberOf(ctx, actor.organizationId, actor.memberId);
  }
}

@Resolver(() => AuditTarget)
export class AuditTargetResolver {
  @FieldResolver(() => MemberNode, {
    nullable: true,
    description: 'The target member, while it exists and the viewer may see it.',
  })
  member(@Root() target: AuditTarget, @Ctx() ctx: GraphQLContext): Promise<MemberNode | null> {
    return memberOf(ctx, target.organizationId, target.type === 'member' ? target.id : null);
  }
}

import { Ctx, Field, FieldResolver, GraphQLISODateTime, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { GraphQLContext } from '../context';
import { MemberNode } from './member.type';

@ObjectType('MemberScimError', { description: 'A SCIM request about the member that failed.' })
export class ScimErrorNode {
  @Field(() => Int, { description: 'The HTTP status the identity provider got.' })
  status!: number;

  @Field(() => String, { nullable: true, description: 'The error detail it got.' })
  message!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When the request arrived.' })
  at!: Date;
}

/** A member's provisioning, read from the provisioning log in one batched, indexed query per page of members. */
@Resolver(() => MemberNode)
export class MemberProvisioningResolver {
  @FieldResolver(() => GraphQLISODateTime, {
    nullable: true,
    description:
      "When the identity provider last changed the member successfully over SCIM (within the provisioning log's retention); null when never, or when the viewer may not read the provisioning log (manageScim).",
  })
  async lastProvisionedAt(@Root() member: MemberNode, @Ctx() ctx: GraphQLContext): Promise<Date | null> {
    const found = await ctx.loaders.memberProvisioning(member.organizationId).load(member.id);
    return found?.lastProvisionedAt ?? null;
  }

  @FieldResolver(() => ScimErrorNode, {
    nullable: true,
    description:
      'The last SCIM request about the member that failed (compare with lastProvisionedAt: it may be older than the last success); null when none, or when the viewer may not read the provisioning log (manageScim).',
  })
  async lastScimError(@Root() member: MemberNode, @Ctx() ctx: GraphQLContext): Promise<ScimErrorNode | null> {
    const found = await ctx.loaders.memberProvisioning(member.organizationId).load(member.id);
    return found?.lastError ? Object.assign(new ScimErrorNode(), found.lastError) : null;
  }
}

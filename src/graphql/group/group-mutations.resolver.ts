import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { type GroupView } from '../../read-models/group.view';
import { GraphQLContext } from '../context';
import { attempt } from '../errors';
import { mutationPayload } from '../payload';
import { GroupCreateInput, GroupDeleteInput, GroupMembersInput, GroupUpdateInput } from './group.input';
import { GroupNode } from './group.type';
import { GroupDeletePayload, GroupPayload } from './group-payloads.type';

const groupPayload = (ctx: GraphQLContext, work: () => Promise<GroupView>): Promise<GroupPayload> =>
  mutationPayload(ctx, 'group', work, GroupNode.from);

@Resolver()
export class GroupMutationsResolver {
  @Mutation(() => GroupPayload, { description: 'Create a group, optionally with members.' })
  groupCreate(
    @Arg('input', () => GroupCreateInput, { description: 'The new group.' }) input: GroupCreateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupPayload> {
    const { organizationId, displayName, externalId, memberIds } = input;
    return groupPayload(ctx, () =>
      ctx.services.groups.create(ctx.actor, organizationId, {
        displayName,
        externalId: externalId || null,
        memberIds: memberIds ?? undefined,
      }),
    );
  }

  @Mutation(() => GroupPayload, { description: 'Rename a group or change its externalId.' })
  groupUpdate(
    @Arg('input', () => GroupUpdateInput, { description: 'The group and its changes.' }) input: GroupUpdateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupPayload> {
    const changes = {
      ...(input.displayName != null ? { displayName: input.displayName } : {}),
      ...(input.externalId != null ? { externalId: input.externalId || null } : {}),
    };
    return groupPayload(ctx, () => ctx.services.groups.update(ctx.actor, input.organizationId, input.groupId, changes));
  }

  @Mutation(() => GroupDeletePayload, { description: 'Delete a group; its members stay in the organization.' })
  async groupDelete(
    @Arg('input', () => GroupDeleteInput, { description: 'The group.' }) input: GroupDeleteInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupDeletePayload> {
    const outcome = await attempt(() => ctx.services.groups.delete(ctx.actor, input.organizationId, input.groupId));
    ctx.afterWrite();
    return { deletedGroupId: outcome.userErrors.length ? null : input.groupId, userErrors: outcome.userErrors };
  }

  @Mutation(() => GroupPayload, {
    description:
      'Add members to a group (members already in it are left alone). Ids outside the organization fail with UNKNOWN_MEMBERS.',
  })
  groupMembersAdd(
    @Arg('input', () => GroupMembersInput, { description: 'The group and the members to add.' })
    input: GroupMembersInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupPayload> {
    return groupPayload(ctx, () =>
      ctx.services.groups.update(ctx.actor, input.organizationId, input.groupId, { members: { add: input.memberIds } }),
    );
  }

  @Mutation(() => GroupPayload, { description: 'Remove members from a group (ids not in it are ignored).' })
  groupMembersRemove(
    @Arg('input', () => GroupMembersInput, { description: 'The group and the members to remove.' })
    input: GroupMembersInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupPayload> {
    return groupPayload(ctx, () =>
      ctx.services.groups.update(ctx.actor, input.organizationId, input.groupId, {
        members: { remove: input.memberIds },
      }),
    );
  }
}

import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { type GroupView } from '../../read-models/group.view';
import { GraphQLContext } from '../context';
import { mutationPayload } from '../payload';
import { GroupPayload } from './group-payloads.type';
import { definedOnly, requireCapability } from '../guards';
import { GroupRoleMappingClearInput, GroupRoleMappingSetInput } from './group-role-mapping.input';
import { GroupNode } from './group.type';

const groupPayload = (ctx: GraphQLContext, work: () => Promise<GroupView>): Promise<GroupPayload> =>
  mutationPayload(ctx, 'group', work, GroupNode.from, { forbiddenIsUserError: true });

@Resolver()
export class GroupRoleMappingResolver {
  @Mutation(() => GroupPayload, {
    description:
      "Set the role a group's members get when their role comes from groups (USER, ADMIN or CUSTOM with flags; never OWNER). It is giving that role to every member: a role or flag the viewer does not hold is a FORBIDDEN user error. The members' roles follow in the same transaction.",
  })
  async groupRoleMappingSet(
    @Arg('input', () => GroupRoleMappingSetInput, { description: 'The group and the role it gives.' })
    input: GroupRoleMappingSetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupPayload> {
    await requireCapability(ctx, input.organizationId, 'manageGroups');
    return groupPayload(ctx, () =>
      ctx.services.groupRoles.setMapping(ctx.actor, input.organizationId, input.groupId, {
        role: input.role,
        permissions: input.permissions ? definedOnly(input.permissions) : null,
      }),
    );
  }

  @Mutation(() => GroupPayload, {
    description: "Remove a group's role mapping; its members' roles are recomputed without it.",
  })
  async groupRoleMappingClear(
    @Arg('input', () => GroupRoleMappingClearInput, { description: 'The group.' }) input: GroupRoleMappingClearInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<GroupPayload> {
    await requireCapability(ctx, input.organizationId, 'manageGroups');
    return groupPayload(ctx, () =>
      ctx.services.groupRoles.clearMapping(ctx.actor, input.organizationId, input.groupId),
    );
  }
}

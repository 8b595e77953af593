import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { attempt } from '../errors';
import { definedOnly } from '../guards';
import { eachItem, memberResults } from './bulk-items';
import { MemberIdsInput, MembersConfirmInput, MembersInviteInput, MembersRevokeInput } from './member.input';
import { InvitationResult, MemberResult, MembersInvitePayload, MembersPayload } from './member-payloads.type';
import { MemberNode } from './member.type';

@Resolver()
export class MembersBulkResolver {
  @Mutation(() => MembersInvitePayload, {
    description:
      'Invite up to 100 e-mail addresses; each gets an invitation e-mail with its token. One result per address.',
  })
  async membersInvite(
    @Arg('input', () => MembersInviteInput, { description: 'Who to invite, with which role and groups.' })
    input: MembersInviteInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersInvitePayload> {
    const { actor, services } = ctx;
    const permissions = definedOnly(input.permissions);
    return eachItem(
      ctx,
      input.organizationId,
      'manageMembers',
      input.emails,
      async (email, field) => {
        const outcome = await attempt(
          () =>
            services.memberLifecycle.invite(actor, input.organizationId, {
              email,
              role: input.role,
              permissions,
              groupIds: input.groupIds ?? undefined,
            }),
          { field, everyDomainError: true },
        );
        // The invitation token travels only in the e-mail (the outbox), never in this response.
        return Object.assign(new InvitationResult(), {
          email,
          member: outcome.value ? MemberNode.from(outcome.value.member) : null,
          userErrors: outcome.userErrors,
        });
      },
      'emails',
    );
  }

  @Mutation(() => MembersPayload, {
    description: 'Send INVITED members a fresh invitation (the previous token stops working).',
  })
  membersReinvite(
    @Arg('input', () => MemberIdsInput, { description: 'The invited members.' }) input: MemberIdsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    return memberResults(
      ctx,
      input,
      'manageMembers',
      async (id) => (await ctx.services.memberLifecycle.reinvite(ctx.actor, input.organizationId, id)).member,
    );
  }

  @Mutation(() => MembersPayload, {
    description: 'Confirm ACCEPTED members, optionally storing an opaque key with each.',
  })
  async membersConfirm(
    @Arg('input', () => MembersConfirmInput, { description: 'The accepted members and their keys.' })
    input: MembersConfirmInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    return eachItem(
      ctx,
      input.organizationId,
      'manageMembers',
      input.members,
      async ({ memberId, key }, field) => {
        const outcome = await attempt(
          () => ctx.services.memberLifecycle.confirm(ctx.actor, input.organizationId, memberId, key ?? null),
          { field, everyDomainError: true },
        );
        return Object.assign(new MemberResult(), {
          memberId,
          member: outcome.value ? MemberNode.from(outcome.value) : null,
          userErrors: outcome.userErrors,
        });
      },
      'members',
    );
  }

  @Mutation(() => MembersPayload, {
    description:
      'Revoke access of up to 100 members, each in its own transaction; each keeps its prior status for membersRestore. The last confirmed owner cannot be revoked (LAST_OWNER). With keepRevoked, the identity provider cannot restore them.',
  })
  membersRevoke(
    @Arg('input', () => MembersRevokeInput, { description: 'The members and an optional reason.' })
    input: MembersRevokeInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    return memberResults(ctx, input, 'manageMembers', (id) =>
      ctx.services.memberLifecycle.revoke(ctx.actor, input.organizationId, id, input.reason ?? null, {
        keepRevoked: input.keepRevoked,
      }),
    );
  }

  @Mutation(() => MembersPayload, {
    description:
      'Return up to 100 REVOKED members to their prior status (a free seat is needed); lifts a keepRevoked hold.',
  })
  membersRestore(
    @Arg('input', () => MemberIdsInput, { description: 'The revoked members.' }) input: MemberIdsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    return memberResults(ctx, input, 'manageMembers', (id) =>
      ctx.services.memberLifecycle.restore(ctx.actor, input.organizationId, id),
    );
  }

  @Mutation(() => MembersPayload, {
    description:
      'Delete memberships with their group links (the audit trail is kept). The last confirmed owner cannot be removed (LAST_OWNER).',
  })
  membersRemove(
    @Arg('input', () => MemberIdsInput, { description: 'The members.' }) input: MemberIdsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MembersPayload> {
    return memberResults(ctx, input, 'manageMembers', async (id) => {
      await ctx.services.memberLifecycle.remove(ctx.actor, input.organizationId, id);
      return null;
    });
  }
}

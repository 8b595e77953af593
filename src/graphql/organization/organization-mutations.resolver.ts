import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { attempt } from '../errors';
import { OrganizationCreateInput, OrganizationUpdateInput } from './organization.input';
import { OrganizationNode } from './organization.type';
import { OrganizationPayload } from '../common/payloads.type';

@Resolver()
export class OrganizationMutationsResolver {
  @Mutation(() => OrganizationPayload, {
    description: 'Create an organization with the viewer as its first confirmed owner.',
  })
  async organizationCreate(
    @Arg('input', () => OrganizationCreateInput, { description: 'The new organization.' })
    input: OrganizationCreateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrganizationPayload> {
    const outcome = await attempt(() =>
      ctx.services.organizations.create(ctx.actor, {
        name: input.name,
        ownerEmail: ctx.actor.email,
        seatLimit: input.seatLimit ?? null,
      }),
    );
    ctx.afterWrite();
    return {
      organization: outcome.value && OrganizationNode.from(outcome.value.organization),
      userErrors: outcome.userErrors,
    };
  }

  @Mutation(() => OrganizationPayload, {
    description: 'Rename an organization or change its seat limit (null = unlimited).',
  })
  async organizationUpdate(
    @Arg('input', () => OrganizationUpdateInput, { description: 'The organization and its changes.' })
    input: OrganizationUpdateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<OrganizationPayload> {
    const changes = {
      ...(input.name != null ? { name: input.name } : {}),
      ...(input.seatLimit !== undefined ? { seatLimit: input.seatLimit } : {}),
    };
    const outcome = await attempt(() => ctx.services.organizations.update(ctx.actor, input.organizationId, changes));
    ctx.afterWrite();
    return { organization: outcome.value && OrganizationNode.from(outcome.value), userErrors: outcome.userErrors };
  }
}

import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { GraphQLContext } from '../context';
import { mutationPayload } from '../payload';
import { OrganizationCreateInput, OrganizationUpdateInput } from './organization.input';
import { OrganizationNode } from './organization.type';
import { OrganizationPayload } from './organization-payloads.type';

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
    return mutationPayload(
      ctx,
      'organization',
      () =>
        ctx.services.organizations.create(ctx.actor, {
          name: input.name,
          ownerEmail: ctx.actor.email,
          seatLimit: input.seatLimit ?? null,
        }),
      (created) => OrganizationNode.from(created.organization),
    );
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
    return mutationPayload(
      ctx,
      'organization',
      () => ctx.services.organizations.update(ctx.actor, input.organizationId, changes),
      OrganizationNode.from,
    );
  }
}

import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { DomainError, ErrorCode } from '../../domain/errors';
import { type HeldSelection } from '../../services/held-deprovisioning.service';
import { type HeldDeprovisioningView } from '../../read-models/held-deprovisioning.view';
import { type Connection } from '../common/connection.type';
import { connectionFromPage } from '../common/connections';
import { ForwardPageArgs } from '../common/page.args';
import { mutationPayload } from '../payload';
import { GraphQLContext } from '../context';
import { definedOnly, requireCapability } from '../guards';
import { OrganizationNode } from '../organization/organization.type';
import { HeldDeprovisioningsDecideInput } from './safeguard.input';
import { HeldDeprovisioningConnection, HeldDeprovisioningNode, HeldDeprovisioningsPayload } from './safeguard.type';

/** `ids` or `all: true`, exactly one: anything else is INVALID_INPUT (a userError, nothing changed). */
function selectionOf(input: HeldDeprovisioningsDecideInput): HeldSelection {
  if (input.all === true && input.ids == null) return { all: true };
  if (input.ids != null && input.all !== true) return { ids: input.ids };
  throw new DomainError(ErrorCode.INVALID_INPUT, 'give either ids or all: true', 'ids');
}

const render = (held: HeldDeprovisioningView[]) => held.map(HeldDeprovisioningNode.from);

/** Applies or discards the selected held changes: the two mutations differ only in the decision. */
async function decide(
  ctx: GraphQLContext,
  input: HeldDeprovisioningsDecideInput,
  decision: 'apply' | 'discard',
): Promise<HeldDeprovisioningsPayload> {
  // Without the organization-wide right the whole mutation fails; a member outside the caller's authority is a userError.
  await requireCapability(ctx, input.organizationId, 'manageMembers');
  return mutationPayload(
    ctx,
    'heldDeprovisionings',
    () => ctx.services.heldDeprovisionings[decision](ctx.actor, input.organizationId, selectionOf(input)),
    render,
    { forbiddenIsUserError: true },
  );
}

@Resolver(() => OrganizationNode)
export class HeldDeprovisioningResolver {
  @FieldResolver(() => HeldDeprovisioningConnection, {
    nullable: true,
    description:
      'SCIM deprovisionings the safeguard is holding, oldest first (needs the manageMembers permission). totalCount > 0: the safeguard tripped.',
  })
  async heldDeprovisionings(
    @Root() org: OrganizationNode,
    @Args(() => ForwardPageArgs) args: ForwardPageArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<HeldDeprovisioningNode>> {
    const page = await ctx.services.heldDeprovisionings.list(
      ctx.actor,
      org.id,
      definedOnly({ first: args.first, after: args.after }),
    );
    return connectionFromPage(page, HeldDeprovisioningNode.from);
  }

  @Mutation(() => HeldDeprovisioningsPayload, {
    description:
      'Apply held deprovisionings as the identity provider asked (revoke or remove each member), in one transaction, audited as yours. Needs manageMembers and authority over each member.',
  })
  async heldDeprovisioningsApply(
    @Arg('input', () => HeldDeprovisioningsDecideInput, { description: 'Which held changes.' })
    input: HeldDeprovisioningsDecideInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<HeldDeprovisioningsPayload> {
    return decide(ctx, input, 'apply');
  }

  @Mutation(() => HeldDeprovisioningsPayload, {
    description:
      'Discard held deprovisionings: their members stay as they are; each is audited. Needs manageMembers and authority over each member.',
  })
  async heldDeprovisioningsDiscard(
    @Arg('input', () => HeldDeprovisioningsDecideInput, { description: 'Which held changes.' })
    input: HeldDeprovisioningsDecideInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<HeldDeprovisioningsPayload> {
    return decide(ctx, input, 'discard');
  }
}

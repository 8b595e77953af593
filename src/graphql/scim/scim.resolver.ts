import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { connectionFromPage } from '../common/connections';
import { GraphQLContext } from '../context';
import { attempt } from '../errors';
import { forbidden } from '../../domain/errors';
import { definedOnly } from '../guards';
import { ScimRequestLogArgs } from '../common/list.args';
import { ScimApiKeyRotateInput, ScimPreviousKeyRevokeInput, ScimSettingsUpdateInput } from './scim.input';
import { Connection } from '../common/connection.type';
import { ScimApiKeyRotatePayload, ScimPreviousKeyRevokePayload, ScimSettingsPayload } from './scim-payloads.type';
import { OrganizationNode } from '../organization/organization.type';
import { ScimRequestLogConnection, ScimRequestLogEntry, ScimSettingsNode } from './scim.type';
import { ScimRequestStats } from './scim-activity.type';

@Resolver(() => OrganizationNode)
export class OrganizationScimResolver {
  @FieldResolver(() => ScimSettingsNode, {
    nullable: true,
    description: 'SCIM provisioning settings (needs the manageScim permission).',
  })
  async scim(@Root() org: OrganizationNode, @Ctx() ctx: GraphQLContext): Promise<ScimSettingsNode> {
    return ScimSettingsNode.from(await ctx.services.scimSettings.get(ctx.actor, org.id), org.id);
  }
}

@Resolver(() => ScimSettingsNode)
export class ScimResolver {
  @FieldResolver(() => ScimRequestLogConnection, {
    description: 'Recent SCIM requests, newest first: what the identity provider sent and how it went.',
  })
  async requestLog(
    @Root() scim: ScimSettingsNode,
    @Args(() => ScimRequestLogArgs) args: ScimRequestLogArgs,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<ScimRequestLogEntry>> {
    const page = await ctx.services.scimRequestLog.list(
      ctx.actor,
      scim.organizationId,
      definedOnly(args.filter),
      definedOnly({ first: args.first, after: args.after }),
    );
    return connectionFromPage(page, ScimRequestLogEntry.from);
  }

  @FieldResolver(() => ScimRequestStats, {
    description:
      "The provisioning log's header and the set-up guide's chip: connection state, each client's last success, the last hour's failures and rejected keys (needs manageScim).",
  })
  async requestStats(@Root() scim: ScimSettingsNode, @Ctx() ctx: GraphQLContext): Promise<ScimRequestStats> {
    return ScimRequestStats.from(await ctx.services.scimRequestLog.stats(ctx.actor, scim.organizationId));
  }

  @Mutation(() => ScimSettingsPayload, {
    description:
      'Enable or disable SCIM (owner authority: OWNER or manageScimKeys), choose the provider, and whether provisioned users are invited (manageScim). Enabling an organization without a current key returns a new key in apiKey, once; disabling deletes the key.',
  })
  async scimSettingsUpdate(
    @Arg('input', () => ScimSettingsUpdateInput, { description: 'The changes.' }) input: ScimSettingsUpdateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ScimSettingsPayload> {
    const { organizationId, deprovisioningSafeguard, ...changes } = input;
    await requireScimRight(ctx, organizationId);
    const safeguard = deprovisioningSafeguard ? { deprovisioningSafeguard: definedOnly(deprovisioningSafeguard) } : {};
    const outcome = await attempt(
      () => ctx.services.scimSettings.update(ctx.actor, organizationId, { ...definedOnly(changes), ...safeguard }),
      { forbiddenIsUserError: true },
    );
    ctx.afterWrite();
    return {
      apiKey: outcome.value?.apiKey ?? null,
      scim: outcome.value && ScimSettingsNode.from(outcome.value.view, organizationId),
      userErrors: outcome.userErrors,
    };
  }

  @Mutation(() => ScimApiKeyRotatePayload, {
    description:
      'Issue a new SCIM API key and return it in clear, once. The previous key stops working at once, or, with previousKeyValidMinutes, keeps working beside the new one until then (scimPreviousKeyRevoke ends that sooner). Needs owner authority (OWNER or manageScimKeys).',
  })
  async scimApiKeyRotate(
    @Arg('input', () => ScimApiKeyRotateInput, { description: 'The organization, and the overlap.' })
    input: ScimApiKeyRotateInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ScimApiKeyRotatePayload> {
    await requireScimRight(ctx, input.organizationId);
    const options = definedOnly({ previousKeyValidMinutes: input.previousKeyValidMinutes ?? undefined });
    const outcome = await attempt(() => ctx.services.scimSettings.rotateKey(ctx.actor, input.organizationId, options), {
      forbiddenIsUserError: true,
    });
    ctx.afterWrite();
    return {
      apiKey: outcome.value?.apiKey ?? null,
      scim: outcome.value && ScimSettingsNode.from(outcome.value.view, input.organizationId),
      userErrors: outcome.userErrors,
    };
  }

  @Mutation(() => ScimPreviousKeyRevokePayload, {
    description:
      "End a rotation's overlap now: the previous SCIM key stops working, on every instance. Nothing to end is not an error. Needs owner authority (OWNER or manageScimKeys).",
  })
  async scimPreviousKeyRevoke(
    @Arg('input', () => ScimPreviousKeyRevokeInput, { description: 'The organization.' })
    input: ScimPreviousKeyRevokeInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ScimPreviousKeyRevokePayload> {
    await requireScimRight(ctx, input.organizationId);
    const outcome = await attempt(() => ctx.services.scimSettings.revokePreviousKey(ctx.actor, input.organizationId), {
      forbiddenIsUserError: true,
    });
    ctx.afterWrite();
    return {
      scim: outcome.value && ScimSettingsNode.from(outcome.value, input.organizationId),
      userErrors: outcome.userErrors,
    };
  }
}

/** A viewer with no SCIM right at all fails the whole mutation; one with some SCIM right gets a FORBIDDEN user error. */
async function requireScimRight(ctx: GraphQLContext, organizationId: string): Promise<void> {
  const { capabilities } = await ctx.loaders.access(organizationId);
  if (!capabilities.manageScim && !capabilities.manageScimKeys)
    throw forbidden('not allowed to manage scim in this organization');
}

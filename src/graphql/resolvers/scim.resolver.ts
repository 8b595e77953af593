import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { connectionFromPage } from '../connections';
import { GraphQLContext } from '../context';
import { attempt } from '../errors';
import { definedOnly } from '../guards';
import { ScimRequestLogArgs } from '../inputs/list.args';
import { ScimApiKeyRotateInput, ScimSettingsUpdateInput } from '../inputs/scim.input';
import { Connection } from '../types/connection.type';
import { ScimApiKeyRotatePayload, ScimSettingsPayload } from '../types/payloads.type';
import { ScimRequestLogConnection, ScimRequestLogEntry, ScimSettingsNode } from '../types/scim.type';

@Resolver(() => ScimSettingsNode)
export class ScimResolver {
  @FieldResolver(() => ScimRequestLogConnection, { description: 'Recent SCIM requests, newest first: what the identity provider sent and how it went.' })
  async requestLog(@Root() scim: ScimSettingsNode, @Args(() => ScimRequestLogArgs) args: ScimRequestLogArgs, @Ctx() ctx: GraphQLContext): Promise<Connection<ScimRequestLogEntry>> {
    const page = await ctx.services.scimRequestLog.list(ctx.actor, scim.organizationId, definedOnly(args.filter), definedOnly({ first: args.first, after: args.after }));
    return connectionFromPage(page, ScimRequestLogEntry.from);
  }

  @Mutation(() => ScimSettingsPayload, { description: 'Enable or disable SCIM, choose the provider, and whether provisioned users are invited.' })
  async scimSettingsUpdate(@Arg('input', () => ScimSettingsUpdateInput, { description: 'The changes.' }) input: ScimSettingsUpdateInput, @Ctx() ctx: GraphQLContext): Promise<ScimSettingsPayload> {
    const { organizationId, ...changes } = input;
    const outcome = await attempt(() => ctx.services.scimSettings.update(ctx.actor, organizationId, definedOnly(changes)));
    ctx.afterWrite();
    return { scim: outcome.value && ScimSettingsNode.from(outcome.value, organizationId), userErrors: outcome.userErrors };
  }

  @Mutation(() => ScimApiKeyRotatePayload, { description: 'Issue a new SCIM API key and return it in clear, once; the previous key stops working at once.' })
  async scimApiKeyRotate(@Arg('input', () => ScimApiKeyRotateInput, { description: 'The organization.' }) input: ScimApiKeyRotateInput, @Ctx() ctx: GraphQLContext): Promise<ScimApiKeyRotatePayload> {
    const outcome = await attempt(() => ctx.services.scimSettings.rotateKey(ctx.actor, input.organizationId));
    ctx.afterWrite();
    return {
      apiKey: outcome.value?.apiKey ?? null,
      scim: outcome.value && ScimSettingsNode.from(outcome.value.view, input.organizationId),
      userErrors: outcome.userErrors,
    };
  }
}

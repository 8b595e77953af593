import 'reflect-metadata';
import { type GraphQLObjectType, type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AuditActorResolver, AuditTargetResolver } from './organization/audit.resolver';
import { GroupMutationsResolver } from './group/group-mutations.resolver';
import { GroupResolver } from './group/group.resolver';
import { GroupRoleMappingResolver } from './group/group-role-mapping.resolver';
import { MemberMutationsResolver } from './member/member-mutations.resolver';
import { MemberResolver } from './member/member.resolver';
import { MemberProvisioningResolver } from './member/member-provisioning.resolver';
import { MemberRoleSourceResolver } from './member/member-role-source.resolver';
import { MembersBulkResolver } from './member/members-bulk.resolver';
import { MembersBulkActionsResolver } from './member/members-bulk-actions.resolver';
import { OrganizationMutationsResolver } from './organization/organization-mutations.resolver';
import { OrganizationResolver } from './organization/organization.resolver';
import { MemberGroupsResolver, memberGroups } from './group/member-groups.resolver';
import { NodeResolver } from './node.resolver';
import { OrganizationScimResolver, ScimResolver } from './scim/scim.resolver';
import { MemberIdsResolver } from './organization/member-ids.resolver';
import { HeldDeprovisioningResolver } from './scim/safeguard.resolver';
import { SessionResolver } from './viewer/session.resolver';
import { TokenResolver } from './token/token.resolver';
import { ViewerResolver } from './viewer/viewer.resolver';
import { OrganizationWebhooksResolver, WebhookResolver } from './webhook/webhook.resolver';

const resolvers = [
  NodeResolver,
  ViewerResolver,
  OrganizationResolver,
  MemberIdsResolver,
  OrganizationMutationsResolver,
  MemberResolver,
  MembersBulkResolver,
  MembersBulkActionsResolver,
  MemberMutationsResolver,
  MemberRoleSourceResolver,
  MemberProvisioningResolver,
  GroupResolver,
  MemberGroupsResolver,
  GroupMutationsResolver,
  GroupRoleMappingResolver,
  ScimResolver,
  OrganizationScimResolver,
  HeldDeprovisioningResolver,
  AuditActorResolver,
  AuditTargetResolver,
  TokenResolver,
  SessionResolver,
  WebhookResolver,
  OrganizationWebhooksResolver,
] as const;

let schema: Promise<GraphQLSchema> | undefined;

/** Built once per process: buildSchema is slow, and the schema never changes at run time. */
export function getSchema(): Promise<GraphQLSchema> {
  schema ??= buildSchema({
    resolvers: [...resolvers],
    // Inputs are validated by class-validator; unknown properties cannot occur (GraphQL types the input).
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
  })
    .then(describeRoots)
    .then(resolvePerNodeFieldsPlainly);
  return schema;
}

/**
 * Fields resolved once per node of a page get their function as the field's resolver, without type-graphql's
 * wrapper around it (resolver instance, argument class, a validation promise, the middleware chain): on a page of
 * 100 members that wrapper cost more than the groups themselves. There is no middleware or auth rule to keep.
 */
function resolvePerNodeFieldsPlainly(built: GraphQLSchema): GraphQLSchema {
  const member = built.getType('Member') as GraphQLObjectType;
  member.getFields().groups.resolve = (root, args, context) => memberGroups(root, args, context);
  return built;
}

// type-graphql has no option for the root types' descriptions.
function describeRoots(built: GraphQLSchema): GraphQLSchema {
  const query = built.getQueryType();
  const mutation = built.getMutationType();
  if (query) query.description = 'Reads. Every request needs `Authorization: Bearer <access token or OIDC JWT>`.';
  if (mutation)
    mutation.description =
      'Writes. Business failures are returned in `userErrors`; each write is one transaction with its audit event.';
  return built;
}

export const SCHEMA_HEADER =
  '# Generated from src/graphql by `npm run schema`. Do not edit; a test fails when it is stale.\n\n';

/** The committed artifact: sorted, so that moving code around does not change it. */
export function printSchemaFile(built: GraphQLSchema): string {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(built)) + '\n';
}

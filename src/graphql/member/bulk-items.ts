import { type Capabilities } from '../../domain/policy';
import { type MemberView } from '../../read-models/member.view';
import { type GraphQLContext } from '../context';
import { attempt } from '../errors';
import { requireCapability } from '../guards';
import { type MemberIdsInput } from './member.input';
import { MemberResult } from './member-payloads.type';
import { MemberNode } from './member.type';

/**
 * Bulk member mutations: the organization and the viewer's right are checked once (NOT_FOUND /
 * FORBIDDEN fail the call), then every item is its own service call and transaction, with its own result.
 */
export async function eachItem<I, R extends { userErrors: MemberResult['userErrors'] }>(
  ctx: GraphQLContext,
  organizationId: string,
  capability: keyof Capabilities,
  items: I[],
  run: (item: I, field: string) => Promise<R>,
  fieldName: string,
): Promise<{ results: R[]; userErrors: R['userErrors'] }> {
  await requireCapability(ctx, organizationId, capability);
  const results: R[] = [];
  try {
    for (const [i, item] of items.entries()) results.push(await run(item, `${fieldName}[${i}]`));
  } finally {
    ctx.afterWrite();
  }
  return { results, userErrors: results.flatMap((r) => r.userErrors) };
}

export function memberResults(
  ctx: GraphQLContext,
  input: MemberIdsInput,
  capability: keyof Capabilities,
  change: (memberId: string) => Promise<MemberView | null>,
): Promise<{ results: MemberResult[]; userErrors: MemberResult['userErrors'] }> {
  return eachItem(
    ctx,
    input.organizationId,
    capability,
    input.memberIds,
    async (memberId, field) => {
      const outcome = await attempt(() => change(memberId), { field, everyDomainError: true });
      return Object.assign(new MemberResult(), {
        memberId,
        member: outcome.value ? MemberNode.from(outcome.value) : null,
        userErrors: outcome.userErrors,
      });
    },
    'memberIds',
  );
}

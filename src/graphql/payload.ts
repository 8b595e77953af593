import { type GraphQLContext } from './context';
import { attempt } from './errors';
import { type UserError } from './common/user-error.type';

type AttemptOptions = NonNullable<Parameters<typeof attempt>[1]>;

/**
 * The shape of every single-object mutation payload: the object after the change under `key` (null when it failed),
 * and why it failed as userErrors. Domain errors a client may be shown become userErrors (see `attempt`); the
 * request's loaders are dropped after the write, so that what the payload reads is not a pre-write cached value.
 */
export async function mutationPayload<K extends string, T, R>(
  ctx: GraphQLContext,
  key: K,
  work: () => Promise<T>,
  render: (value: T) => R,
  opts: AttemptOptions = {},
): Promise<{ [P in K]: R | null } & { userErrors: UserError[] }> {
  const outcome = await attempt(work, opts);
  ctx.afterWrite();
  const rendered = outcome.value === null ? null : render(outcome.value);
  return { [key]: rendered, userErrors: outcome.userErrors } as { [P in K]: R | null } & { userErrors: UserError[] };
}

import { type ApolloServerPlugin } from '@apollo/server';
import { type FragmentDefinitionNode, GraphQLError, Kind, type SelectionSetNode, type ValidationRule } from 'graphql';
import { type ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DEFAULT_FIRST, MAX_PAGE_SIZE } from './common/connections';

/** Limits on what one request may ask for. Each rejection is a 4xx with a message naming the limit. */
export const LIMITS = {
  /** Nesting of fields (introspection's own fields not counted). */
  depth: 10,
  /** Aliases in one operation, fragments expanded. */
  aliases: 30,
  /** Estimated cost: 1 per field, times `first`/`last` (default 20) for everything under a paged field. */
  cost: 10_000,
  /** JSON request body. */
  body: '100kb',
} as const;

const limitError = (
  message: string,
  limit: string,
  extra: Record<string, unknown> = {},
  nodes?: GraphQLError['nodes'],
) =>
  new GraphQLError(message, {
    nodes,
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, ...extra, http: { status: 400 } },
  });

type Fragments = Map<string, FragmentDefinitionNode>;

/**
 * Folds a measure over a selection set with fragments expanded once each (memoized), so that a
 * document spreading fragments into fragments cannot make the measure itself expensive.
 */
function measure(
  set: SelectionSetNode,
  fragments: Fragments,
  memo: Map<string, number>,
  combine: {
    field: (name: string, aliased: boolean, inner: number) => number;
    merge: (a: number, b: number) => number;
  },
  visiting = new Set<string>(),
): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const inner = sel.selectionSet ? measure(sel.selectionSet, fragments, memo, combine, visiting) : 0;
      total = combine.merge(total, combine.field(sel.name.value, Boolean(sel.alias), inner));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      total = combine.merge(total, measure(sel.selectionSet, fragments, memo, combine, visiting));
    } else {
      const name = sel.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // unknown or cyclic: graphql's own rules report it
      if (!memo.has(name)) {
        visiting.add(name);
        memo.set(name, measure(fragment.selectionSet, fragments, memo, combine, visiting));
        visiting.delete(name);
      }
      total = combine.merge(total, memo.get(name)!);
    }
  }
  return total;
}

function operationRule(
  compute: (set: SelectionSetNode, fragments: Fragments) => number,
  check: (value: number) => string | null,
  limit: string,
): ValidationRule {
  return (context) => ({
    OperationDefinition(op) {
      const fragments: Fragments = new Map();
      for (const def of context.getDocument().definitions)
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
      const value = compute(op.selectionSet, fragments);
      const message = check(value);
      if (message) context.reportError(limitError(message, limit, {}, [op]));
    },
  });
}

export const depthLimitRule = (max: number): ValidationRule =>
  operationRule(
    (set, fragments) =>
      measure(set, fragments, new Map(), {
        // Introspection (__schema, __type) is bounded by the schema itself.
        field: (name, _aliased, inner) => (name.startsWith('__') ? 0 : 1 + inner),
        merge: Math.max,
      }),
    (depth) => (depth > max ? `The query is ${depth} levels deep; at most ${max} are allowed.` : null),
    'depth',
  );

export const aliasLimitRule = (max: number): ValidationRule =>
  operationRule(
    (set, fragments) =>
      measure(set, fragments, new Map(), {
        field: (_name, aliased, inner) => (aliased ? 1 : 0) + inner,
        merge: (a, b) => a + b,
      }),
    (aliases) => (aliases > max ? `The query uses ${aliases} aliases; at most ${max} are allowed.` : null),
    'aliases',
  );

/** A page size (`first`/`last`) outside 1..MAX_PAGE_SIZE, with the message class-validator gives the same mistake. */
export interface PageSizeProblem {
  field: 'first' | 'last';
  message: string;
}

function pageSizeProblem(field: 'first' | 'last', value: unknown): PageSizeProblem | null {
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) return { field, message: `${field} must be an integer` };
  if (value < 1) return { field, message: `${field} must not be less than 1` };
  if (value > MAX_PAGE_SIZE) return { field, message: `${field} must not be greater than ${MAX_PAGE_SIZE}` };
  return null;
}

/**
 * Paged fields multiply the cost of what they contain by the page size asked for, clamped to 1..MAX_PAGE_SIZE: a
 * size out of range (zero, negative) must never lower the estimate, or one alias asking for `first: -100` would
 * cancel the cost of its siblings. Such sizes are reported to `problems` and refused before execution.
 */
export const costEstimator =
  (problems: PageSizeProblem[] = []): ComplexityEstimator =>
  ({ field, args, childComplexity }) => {
    if (!field.args.some((a) => a.name === 'first')) return 1 + childComplexity;
    for (const name of ['first', 'last'] as const) {
      const problem = pageSizeProblem(name, args[name]);
      if (problem) problems.push(problem);
    }
    const asked = Number(args.first ?? args.last ?? DEFAULT_FIRST);
    const size = Number.isFinite(asked) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(asked))) : MAX_PAGE_SIZE;
    return 1 + childComplexity * size;
  };

/** A page size out of range, wherever it is in the operation: the whole request is refused, nothing runs. */
const pageSizeError = (problems: PageSizeProblem[]) => {
  const fields = problems.filter(
    (p, i) => problems.findIndex((q) => q.field === p.field && q.message === p.message) === i,
  );
  return new GraphQLError(`Invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, {
    extensions: { code: 'BAD_USER_INPUT', fields, http: { status: 400 } },
  });
};

/**
 * Runs after validation, with the variables known (a page size often comes in a variable): refuses page sizes out
 * of range anywhere in the operation (BAD_USER_INPUT), then an operation over the cost budget, before anything runs.
 */
export function costLimitPlugin<TContext extends object>(max: number): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operationName }) {
          let cost: number;
          const problems: PageSizeProblem[] = [];
          try {
            cost = getComplexity({
              schema,
              query: document,
              variables: request.variables ?? {},
              operationName: operationName ?? undefined,
              estimators: [costEstimator(problems)],
            });
          } catch (err) {
            if (/maximum allowed number of nodes/.test((err as Error).message))
              throw limitError('The query has too many fields.', 'cost', { maxCost: max });
            return; // bad variables: execution reports them
          }
          if (problems.length > 0) throw pageSizeError(problems);
          if (cost > max)
            throw limitError(
              `The query costs ${cost}; at most ${max} is allowed. Ask for smaller pages (first/last) or fewer nested lists.`,
              'cost',
              { cost, maxCost: max },
            );
        },
      };
    },
  };
}

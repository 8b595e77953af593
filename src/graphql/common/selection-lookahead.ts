import { type FieldNode, type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';

/**
 * Whether the query asks `field` of the nodes of the connection this resolver returns (`nodes { field }` or
 * `edges { node { field } }`), through fragments too. A list resolver reads ahead with it what each node would
 * otherwise ask for on its own.
 */
export function asksOfNodes(info: GraphQLResolveInfo, field: string): boolean {
  return info.fieldNodes.some(
    (node) =>
      selects(info, node.selectionSet, 'nodes', (nodes) => selects(info, nodes, field)) ||
      selects(info, node.selectionSet, 'edges', (edges) =>
        selects(info, edges, 'node', (inner) => selects(info, inner, field)),
      ),
  );
}

/** Whether `set` selects `name` (whose own selection then satisfies `inner`, when given). */
function selects(
  info: GraphQLResolveInfo,
  set: SelectionSetNode | undefined,
  name: string,
  inner?: (set: SelectionSetNode | undefined) => boolean,
): boolean {
  if (!set) return false;
  return set.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === name && (!inner || inner((selection as FieldNode).selectionSet));
      case Kind.INLINE_FRAGMENT:
        return selects(info, selection.selectionSet, name, inner);
      case Kind.FRAGMENT_SPREAD:
        return selects(info, info.fragments[selection.name.value]?.selectionSet, name, inner);
      default:
        return false;
    }
  });
}

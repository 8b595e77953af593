import { Table, type TableProps } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';

export interface DataTableProps<N extends { id: string }> {
  /** The table's accessible name. */
  label: string;
  columns: string[];
  /** A first header cell before the named columns (a "select all" checkbox), given the rows shown. */
  leadingHeader?: (nodes: readonly N[]) => ReactNode;
  nodes: readonly N[];
  /** The row (or rows) of one node; keyed by the node's id. */
  row: (node: N) => ReactNode;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth?: number;
  tableProps?: Omit<TableProps, 'children'>;
}

/** A table of nodes under a header row: the shape every list of the console shares. */
export function DataTable<N extends { id: string }>({
  label,
  columns,
  leadingHeader,
  nodes,
  row,
  minWidth,
  tableProps = { striped: true },
}: DataTableProps<N>) {
  const table = (
    <Table {...tableProps} aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          {leadingHeader && <Table.Th w={36}>{leadingHeader(nodes)}</Table.Th>}
          {columns.map((c) => (
            <Table.Th key={c}>{c}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {nodes.map((n) => (
          <Fragment key={n.id}>{row(n)}</Fragment>
        ))}
      </Table.Tbody>
    </Table>
  );
  if (minWidth === undefined) return table;
  return (
    // A region that scrolls sideways is reachable by keyboard (Tab, then the arrow keys).
    <Table.ScrollContainer minWidth={minWidth} type="native" tabIndex={0} role="region" aria-label={label}>
      {table}
    </Table.ScrollContainer>
  );
}

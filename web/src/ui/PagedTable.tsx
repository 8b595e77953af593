import { Center, Loader } from '@mantine/core';
import { DataTable, type DataTableProps } from './DataTable';
import { type Connection, type CursorPager, Pager } from './Pager';

interface PagedTableProps<N extends { id: string }> extends Omit<DataTableProps<N>, 'nodes'> {
  /** The current page; undefined until the first answer arrives. */
  connection: Connection<N> | undefined;
  pager: CursorPager;
  /** What the rows are, plural: "members", "failed requests". */
  noun: string;
  loading?: boolean;
}

/** One page of a connection as a table, with the pager under it (which also says when the list is empty). */
export function PagedTable<N extends { id: string }>({
  connection,
  pager,
  noun,
  loading,
  ...table
}: PagedTableProps<N>) {
  if (!connection)
    return loading ? (
      <Center p="md">
        <Loader size="sm" aria-label={`Loading ${noun}`} />
      </Center>
    ) : null;
  return (
    <>
      <DataTable {...table} nodes={connection.nodes} />
      <Pager pager={pager} connection={connection} noun={noun} />
    </>
  );
}

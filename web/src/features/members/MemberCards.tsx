import { Center, Loader, Stack } from '@mantine/core';
import { type Connection, type CursorPager, Pager } from '../../ui/Pager';
import { MemberCard } from './MemberCard';
import type { MemberRowProps } from './MemberRow';
import type { Member } from './queries';

/** The members on a phone: one card each, the pager under them. */
export function MemberCards({
  connection,
  pager,
  loading,
  card,
}: {
  connection: Connection<Member> | undefined;
  pager: CursorPager;
  loading: boolean;
  card: (m: Member) => Omit<MemberRowProps, 'm'>;
}) {
  if (!connection)
    return loading ? (
      <Center p="md">
        <Loader size="sm" aria-label="Loading members" />
      </Center>
    ) : null;
  return (
    <>
      <Stack component="ul" gap="xs" aria-label="Members" p={0} m={0} style={{ listStyle: 'none' }}>
        {connection.nodes.map((m) => (
          <MemberCard key={m.id} m={m} {...card(m)} />
        ))}
      </Stack>
      <Pager pager={pager} connection={connection} noun="members" />
    </>
  );
}

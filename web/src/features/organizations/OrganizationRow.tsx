import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PROVIDER_LABELS, formatDateTime, roleLabel } from '../../format';
import type { OrganizationsQuery } from '../../gql/graphql';

type Organization = OrganizationsQuery['viewer']['organizations']['nodes'][number];

/** One organization on the home page: name, the viewer's role, members and seats, who needs confirmation, SCIM state. */
export function OrganizationRow({ o }: { o: Organization }) {
  const counts = o.memberStatusCounts;
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/orgs/${o.id}/members`}>
          {o.name}
        </Anchor>
      </Table.Td>
      <Table.Td>{o.viewerRole ? roleLabel(o.viewerRole) : '—'}</Table.Td>
      <Table.Td>
        {counts ? (
          <>
            <Text size="sm">
              {counts.total} member{counts.total === 1 ? '' : 's'}
              {o.seats?.limit != null ? ` · ${o.seats.used} of ${o.seats.limit} seats` : ''}
            </Text>
            {counts.accepted > 0 && (
              <Badge variant="light" color="yellow" tt="none">
                {counts.accepted} need{counts.accepted === 1 ? 's' : ''} confirmation
              </Badge>
            )}
          </>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        {o.scim ? (o.scim.enabled ? `On · ${PROVIDER_LABELS[o.scim.provider] ?? o.scim.provider}` : 'Off') : '—'}
      </Table.Td>
      <Table.Td>{formatDateTime(o.createdAt)}</Table.Td>
    </Table.Tr>
  );
}

import { useQuery } from '@apollo/client/react';
import { Badge } from '@mantine/core';
import { timeAgo } from '../../format';
import { graphql } from '../../gql';

const CONNECTION = graphql(`
  query ScimConnection($id: ID!) {
    organization(id: $id) {
      id
      scim {
        requestStats {
          connection
          lastRequestAt
        }
      }
    }
  }
`);

/** Asked again while the guide is open: the chip turns to "Connected" soon after the first request. */
const POLL_MS = 10_000;

/** Beside the set-up guide's title: waiting for the identity provider's first request, or connected since. */
export function ScimConnectionChip({ orgId, name }: { orgId: string; name: string }) {
  const { data } = useQuery(CONNECTION, { variables: { id: orgId }, pollInterval: POLL_MS });
  const stats = data?.organization?.scim?.requestStats;
  if (!stats) return null;
  const connected = stats.connection === 'CONNECTED' && stats.lastRequestAt;
  return (
    <Badge variant="light" color={connected ? 'green' : 'gray'} tt="none" role="status">
      {connected ? `Connected — last request ${timeAgo(stats.lastRequestAt!)}` : `Waiting for ${name}'s first request`}
    </Badge>
  );
}

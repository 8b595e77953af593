import { useApolloClient } from '@apollo/client/react';
import { Button, Paper, Table, Text, Title } from '@mantine/core';
import { useNavigate } from 'react-router';
import { PagedTable } from '../../ui/PagedTable';
import { RequestError, RowError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { signOut } from '../../shell/Shell';
import { formatDateTime, timeAgo } from '../../format';
import { graphql } from '../../gql';

const SESSIONS = graphql(`
  query AccountSessions($first: Int!, $after: String) {
    viewer {
      sessions(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        nodes {
          id
          createdAt
          lastSeenAt
          expiresAt
          userAgent
          current
          createdBy {
            kind
            label
          }
        }
      }
    }
  }
`);

const SESSION_REVOKE = graphql(`
  mutation SessionRevoke($input: SessionRevokeInput!) {
    sessionRevoke(input: $input) {
      session {
        id
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

const SESSIONS_PAGE = 10;

/**
 * My browser sessions, a page at a time: what opened each, this one signs out, the others can be ended from here
 * (with the tokens made in them).
 */
export function SessionsPanel() {
  const navigate = useNavigate();
  const { error, refetch, pager, connection, loading } = usePagedQuery(SESSIONS, {
    variables: {},
    pageSize: SESSIONS_PAGE,
    select: (d) => d.viewer.sessions,
  });
  const apollo = useApolloClient();
  // Ending a session also revokes the tokens made in it: the token list and the activity are read again.
  const revoke = useMutationAction(() => Promise.all([refetch(), apollo.refetchQueries({ include: ['Account'] })]));
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Sessions
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Ending a session also revokes the access tokens made in it.
      </Text>
      <RequestError error={error} />
      <PagedTable
        label="Sessions"
        columns={['Browser', 'Created by', 'Since', 'Last seen', 'Ends', 'Actions']}
        minWidth={640}
        tableProps={{ striped: true, fz: 'sm' }}
        connection={connection}
        pager={pager}
        noun="sessions"
        loading={loading}
        row={(s) => (
          <Table.Tr>
            <Table.Td style={{ wordBreak: 'break-word' }}>
              {s.userAgent ?? 'Unknown browser'}
              {s.current ? ' (this browser)' : ''}
            </Table.Td>
            <Table.Td style={{ wordBreak: 'break-word' }}>{s.createdBy.label}</Table.Td>
            <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
            <Table.Td>{timeAgo(s.lastSeenAt)}</Table.Td>
            <Table.Td>{formatDateTime(s.expiresAt)}</Table.Td>
            <Table.Td>
              {s.current ? (
                <Button size="xs" variant="default" onClick={() => void signOut(navigate)}>
                  Sign out
                </Button>
              ) : (
                <Button
                  size="xs"
                  variant="default"
                  aria-label={`End session ${s.userAgent ?? 'Unknown browser'} since ${formatDateTime(s.createdAt)}`}
                  onClick={() =>
                    void revoke.run(SESSION_REVOKE, { input: { id: s.id } }, (d) => d.sessionRevoke, { rows: [s.id] })
                  }
                >
                  End session
                </Button>
              )}
              <RowError message={revoke.rowErrors[s.id]} />
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Paper>
  );
}

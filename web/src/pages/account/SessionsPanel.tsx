import { useMutation } from '@apollo/client/react';
import { Button, Paper, Table, Title } from '@mantine/core';
import { useNavigate } from 'react-router';
import { DataTable } from '../../components/DataTable';
import { signOut } from '../../components/Shell';
import { formatDateTime, timeAgo } from '../../format';
import { graphql } from '../../gql';
import type { AccountQuery } from '../../gql/graphql';

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

const SESSION_METHODS: Record<string, string> = {
  ACCESS_TOKEN: 'Access token',
  EMAIL_LINK: 'E-mail link',
  OIDC: 'Single sign-on',
  INVITATION: 'Invitation',
};

type Session = AccountQuery['viewer']['sessions'][number];

/** My browser sessions: this one signs out, the others can be ended from here. */
export function SessionsPanel({ sessions, refetch }: { sessions: Session[]; refetch: () => Promise<unknown> }) {
  const navigate = useNavigate();
  const [revokeSession] = useMutation(SESSION_REVOKE);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Sessions
      </Title>
      <DataTable
        label="Sessions"
        columns={['Browser', 'Signed in with', 'Since', 'Last seen', 'Actions']}
        minWidth={560}
        tableProps={{ striped: true, fz: 'sm' }}
        nodes={sessions}
        row={(s) => (
          <Table.Tr>
            <Table.Td style={{ wordBreak: 'break-word' }}>
              {s.userAgent ?? 'Unknown browser'}
              {s.current ? ' (this browser)' : ''}
            </Table.Td>
            <Table.Td>{SESSION_METHODS[s.method] ?? s.method}</Table.Td>
            <Table.Td>{formatDateTime(s.createdAt)}</Table.Td>
            <Table.Td>{timeAgo(s.lastSeenAt)}</Table.Td>
            <Table.Td>
              {s.current ? (
                <Button size="xs" variant="default" onClick={() => void signOut(navigate)}>
                  Sign out
                </Button>
              ) : (
                <Button
                  size="xs"
                  variant="default"
                  aria-label={`End session ${SESSION_METHODS[s.method] ?? s.method} since ${formatDateTime(s.createdAt)}`}
                  onClick={async () => {
                    await revokeSession({ variables: { input: { id: s.id } } });
                    await refetch();
                  }}
                >
                  End session
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
    </Paper>
  );
}

import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useNavigate } from 'react-router';
import { signOut, useViewer } from '../../shell/Shell';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { RequestError } from '../../ui/UserErrors';
import { graphql } from '../../gql';
import { usePageTitle } from '../../ui/usePageTitle';
import { AccessTokensPanel } from './AccessTokensPanel';
import { AccountActivity } from './AccountActivity';
import { SessionsPanel } from './SessionsPanel';

const ACCOUNT = graphql(`
  query Account($first: Int!, $after: String) {
    viewer {
      accessTokens {
        id
        name
        hint
        createdAt
        lastUsedAt
        expiresAt
        createdBy {
          kind
          label
        }
      }
      events(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        nodes {
          id
          type
          createdAt
          details
        }
      }
    }
  }
`);

const EVENTS_PAGE = 10;

/** My account: access tokens (the new one shown once), browser sessions, account activity, sign out. */
export function AccountPage() {
  usePageTitle('Account');
  const viewer = useViewer();
  const navigate = useNavigate();
  // The account's tokens come whole (at most ACCESS_TOKENS_PER_ACCOUNT); its activity is paged here, its
  // sessions in their own panel.
  const { data, error, refetch, pager, connection } = usePagedQuery(ACCOUNT, {
    variables: {},
    pageSize: EVENTS_PAGE,
    select: (d) => d.viewer.events,
  });

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={1}>Account</Title>
          <Text c="dimmed">
            Signed in as {viewer.user.email}
            {viewer.user.name ? ` (${viewer.user.name})` : ''}
          </Text>
        </div>
        <Button variant="default" onClick={() => void signOut(navigate)}>
          Sign out
        </Button>
      </Group>
      <RequestError error={error} />
      <AccessTokensPanel tokens={data?.viewer.accessTokens} refetch={refetch} />
      {data && <SessionsPanel />}
      {data && <AccountActivity connection={connection} pager={pager} />}
    </Stack>
  );
}

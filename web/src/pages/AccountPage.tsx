import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { useConfirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { PagedTable } from '../components/PagedTable';
import { usePagedQuery } from '../components/usePagedQuery';
import { signOut, useViewer } from '../components/Shell';
import { FormErrors, RequestError, fieldError } from '../components/UserErrors';
import { formatDateTime, timeAgo } from '../format';
import { graphql } from '../gql';
import { usePageTitle } from '../usePageTitle';

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
      }
      sessions {
        id
        createdAt
        lastSeenAt
        expiresAt
        userAgent
        method
        current
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

const EVENTS_PAGE = 10;
const SESSION_METHODS: Record<string, string> = {
  ACCESS_TOKEN: 'Access token',
  EMAIL_LINK: 'E-mail link',
  OIDC: 'Single sign-on',
  INVITATION: 'Invitation',
};
const EXPIRY_OPTIONS = [
  { value: 'never', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
];
const EVENT_LABELS: Record<string, string> = {
  'account.token_created': 'Access token created',
  'account.token_revoked': 'Access token revoked',
  'account.signed_in': 'Signed in',
  'account.oidc_linked': 'Single sign-on identity linked',
};
const METHOD_LABELS: Record<string, string> = {
  oidc: 'single sign-on',
  email_link: 'e-mail link',
  access_token: 'access token',
  invitation: 'invitation',
};
function eventText(e: { type: string; details?: Record<string, unknown> | null }): string {
  const label = EVENT_LABELS[e.type] ?? e.type;
  const method = typeof e.details?.method === 'string' ? (METHOD_LABELS[e.details.method] ?? e.details.method) : null;
  const name = typeof e.details?.name === 'string' ? e.details.name : null;
  return [label, method && `with ${method}`, name && `"${name}"`].filter(Boolean).join(' ');
}

const TOKEN_CREATE = graphql(`
  mutation AccessTokenCreate($input: AccessTokenCreateInput!) {
    accessTokenCreate(input: $input) {
      token
      accessToken {
        id
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

const TOKEN_REVOKE = graphql(`
  mutation AccessTokenRevoke($input: AccessTokenRevokeInput!) {
    accessTokenRevoke(input: $input) {
      accessToken {
        id
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

/** My account: access tokens (the new one shown once), browser sessions, sign out. */
export function AccountPage() {
  usePageTitle('Account');
  const viewer = useViewer();
  const navigate = useNavigate();
  // The account's tokens and sessions come whole; its activity is the paged part.
  const { data, error, refetch, pager, connection } = usePagedQuery(ACCOUNT, {
    variables: {},
    pageSize: EVENTS_PAGE,
    select: (d) => d.viewer.events,
  });
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('never');
  const [created, setCreated] = useState<string | null>(null);
  const [create, creating] = useMutation(TOKEN_CREATE);
  const [revoke] = useMutation(TOKEN_REVOKE);
  const [revokeSession] = useMutation(SESSION_REVOKE);
  const [revokeErrors, setRevokeErrors] = useState<Record<string, string>>({});
  const { ask, dialog } = useConfirm();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = expiry === 'never' ? null : new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
    const r = await create({ variables: { input: { name: name.trim() || null, expiresAt } } });
    const token = r.data?.accessTokenCreate.token;
    if (token) {
      setCreated(token);
      setName('');
      await refetch();
    }
  };
  const askRevoke = (t: { id: string; name?: string | null; hint: string }) =>
    ask({
      title: 'Revoke access token',
      message: `${t.name ?? 'This token'} (…${t.hint}) stops working at once.`,
      confirmLabel: 'Revoke token',
      danger: true,
      onConfirm: async () => {
        const r = await revoke({ variables: { input: { id: t.id } } });
        const errs = r.data?.accessTokenRevoke.userErrors ?? [];
        if (errs.length) setRevokeErrors((x) => ({ ...x, [t.id]: errs.map((u) => u.message).join(' ') }));
        await refetch();
      },
    });

  const createErrors = creating.data?.accessTokenCreate.userErrors;
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
      <RequestError error={error ?? creating.error} />
      {dialog}
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          Access tokens
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          For scripts and the GraphQL API (Authorization: Bearer), or to sign in here.
        </Text>
        {created && (
          <Alert
            color="green"
            title="New access token"
            mb="sm"
            withCloseButton
            closeButtonLabel="Hide the token"
            onClose={() => setCreated(null)}
          >
            <Stack gap={6}>
              <Text size="sm">Copy it now: it is shown only this once.</Text>
              <TextInput
                label="New access token"
                readOnly
                value={created}
                styles={{ input: { fontFamily: 'monospace' } }}
                onFocus={(e) => e.currentTarget.select()}
              />
            </Stack>
          </Alert>
        )}
        {data && (
          <DataTable
            label="Access tokens"
            columns={['Name', 'Ends in', 'Created', 'Last used', 'Expires', 'Actions']}
            minWidth={520}
            tableProps={{ striped: true, fz: 'sm' }}
            nodes={data.viewer.accessTokens}
            row={(t) => (
              <Table.Tr>
                <Table.Td>{t.name ?? '—'}</Table.Td>
                <Table.Td>
                  <code>…{t.hint}</code>
                </Table.Td>
                <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                <Table.Td>{t.lastUsedAt ? timeAgo(t.lastUsedAt) : 'never'}</Table.Td>
                <Table.Td>{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => askRevoke(t)}
                    aria-label={`Revoke token ${t.name ?? t.hint}`}
                  >
                    Revoke
                  </Button>
                  {revokeErrors[t.id] && (
                    <Text size="xs" c="var(--mantine-color-error)" role="alert">
                      {revokeErrors[t.id]}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          />
        )}
        <form onSubmit={submit} aria-label="Create an access token">
          <Group align="flex-start" mt="sm">
            <TextInput
              label="Token name"
              placeholder="e.g. deploy script"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(createErrors, 'name')}
              style={{ flex: 1, minWidth: 200 }}
            />
            <Select
              label="Expires"
              data={EXPIRY_OPTIONS}
              value={expiry}
              onChange={(v) => setExpiry(v ?? 'never')}
              allowDeselect={false}
              w={150}
              error={fieldError(createErrors, 'expiresAt')}
            />
            <Button type="submit" mt={25} loading={creating.loading}>
              Create token
            </Button>
          </Group>
          <FormErrors errors={createErrors} except={['name', 'expiresAt']} />
        </form>
      </Paper>
      {data && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            Sessions
          </Title>
          <DataTable
            label="Sessions"
            columns={['Browser', 'Signed in with', 'Since', 'Last seen', 'Actions']}
            minWidth={560}
            tableProps={{ striped: true, fz: 'sm' }}
            nodes={data.viewer.sessions}
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
      )}
      {data && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            Account activity
          </Title>
          <PagedTable
            label="Account activity"
            columns={['Time', 'What happened']}
            tableProps={{ fz: 'sm' }}
            connection={connection}
            pager={pager}
            noun="events"
            row={(e) => (
              <Table.Tr>
                <Table.Td>{formatDateTime(e.createdAt)}</Table.Td>
                <Table.Td>{eventText(e)}</Table.Td>
              </Table.Tr>
            )}
          />
        </Paper>
      )}
    </Stack>
  );
}

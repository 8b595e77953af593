import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { useConfirm } from '../components/Confirm';
import { signOut, useViewer } from '../components/Shell';
import { FormErrors, RequestError, fieldError } from '../components/UserErrors';
import { formatDateTime, timeAgo } from '../format';
import { graphql } from '../gql';
import { usePageTitle } from '../usePageTitle';

const ACCOUNT = graphql(`
  query Account {
    viewer {
      accessTokens {
        id
        name
        hint
        createdAt
        lastUsedAt
      }
    }
  }
`);

const TOKEN_CREATE = graphql(`
  mutation AccessTokenCreate($input: AccessTokenCreateInput!) {
    accessTokenCreate(input: $input) {
      token
      accessToken {
        id
      }
      userErrors {
        code
        field
        message
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
        code
        field
        message
      }
    }
  }
`);

/** My account: access tokens (the new one shown once), browser sessions, sign out. */
export function AccountPage() {
  usePageTitle('Account');
  const viewer = useViewer();
  const navigate = useNavigate();
  const { data, error, refetch } = useQuery(ACCOUNT, { fetchPolicy: 'network-only' });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [create, creating] = useMutation(TOKEN_CREATE);
  const [revoke] = useMutation(TOKEN_REVOKE);
  const [revokeErrors, setRevokeErrors] = useState<Record<string, string>>({});
  const { ask, dialog } = useConfirm();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ variables: { input: { name: name.trim() || null } } });
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
          <Alert color="green" title="New access token" mb="sm" withCloseButton closeButtonLabel="Hide the token" onClose={() => setCreated(null)}>
            <Stack gap={6}>
              <Text size="sm">Copy it now: it is shown only this once.</Text>
              <TextInput label="New access token" readOnly value={created} styles={{ input: { fontFamily: 'monospace' } }} onFocus={(e) => e.currentTarget.select()} />
            </Stack>
          </Alert>
        )}
        {data && (
          <Table.ScrollContainer minWidth={520}>
            <Table striped fz="sm" aria-label="Access tokens">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Ends in</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Actions</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.viewer.accessTokens.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>{t.name ?? '—'}</Table.Td>
                    <Table.Td>
                      <code>…{t.hint}</code>
                    </Table.Td>
                    <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                    <Table.Td>{t.lastUsedAt ? timeAgo(t.lastUsedAt) : 'never'}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => askRevoke(t)} aria-label={`Revoke token ${t.name ?? t.hint}`}>
                        Revoke
                      </Button>
                      {revokeErrors[t.id] && (
                        <Text size="xs" c="var(--mantine-color-error)" role="alert">
                          {revokeErrors[t.id]}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <form onSubmit={submit} aria-label="Create an access token">
          <Group align="flex-start" mt="sm">
            <TextInput label="Token name" placeholder="e.g. deploy script" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(createErrors, 'name')} style={{ flex: 1, minWidth: 200 }} />
            <Button type="submit" mt={25} loading={creating.loading}>
              Create token
            </Button>
          </Group>
          <FormErrors errors={createErrors} except={['name']} />
        </form>
      </Paper>
    </Stack>
  );
}

import { useMutation } from '@apollo/client/react';
import { Alert, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useConfirm } from '../../components/Confirm';
import { DataTable } from '../../components/DataTable';
import { FormErrors, RequestError, fieldError } from '../../components/UserErrors';
import { formatDateTime, timeAgo } from '../../format';
import { graphql } from '../../gql';
import type { AccountQuery } from '../../gql/graphql';

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

const EXPIRY_OPTIONS = [
  { value: 'never', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
];

type AccessToken = AccountQuery['viewer']['accessTokens'][number];

/** My access tokens: the list, revoking one (after a confirmation), and creating one (shown once). */
export function AccessTokensPanel({
  tokens,
  refetch,
}: {
  tokens: AccessToken[] | undefined;
  refetch: () => Promise<unknown>;
}) {
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState('never');
  const [created, setCreated] = useState<string | null>(null);
  const [create, creating] = useMutation(TOKEN_CREATE);
  const [revoke] = useMutation(TOKEN_REVOKE);
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
  const askRevoke = (t: AccessToken) =>
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
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Access tokens
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        For scripts and the GraphQL API (Authorization: Bearer), or to sign in here.
      </Text>
      <RequestError error={creating.error} />
      {dialog}
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
      {tokens && (
        <DataTable
          label="Access tokens"
          columns={['Name', 'Ends in', 'Created', 'Last used', 'Expires', 'Actions']}
          minWidth={520}
          tableProps={{ striped: true, fz: 'sm' }}
          nodes={tokens}
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
  );
}

import { useApolloClient } from '@apollo/client/react';
import { Alert, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useConfirm } from '../../ui/Confirm';
import { DataTable } from '../../ui/DataTable';
import { useUnsavedChanges } from '../../ui/UnsavedChanges';
import { FormErrors, RowError, fieldError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { formatDateTime, timeAgo } from '../../format';
import { graphql } from '../../gql';
import type { AccountQuery } from '../../gql/graphql';

const TOKEN_CREATE = graphql(`
  mutation AccessTokenCreate($input: AccessTokenCreateInput!) {
    accessTokenCreate(input: $input) {
      token
      expiryCapped
      accessToken {
        id
        expiresAt
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
  const [created, setCreated] = useState<{ token: string; cappedAt: string | null } | null>(null);
  const apollo = useApolloClient();
  const create = useMutationAction();
  // Revoking a token also ends the sessions opened with it: both lists are read again.
  const revoke = useMutationAction(() =>
    Promise.all([refetch(), apollo.refetchQueries({ include: ['AccountSessions'] })]),
  );
  const { ask, dialog } = useConfirm();
  useUnsavedChanges(name.trim() ? 'the token name you typed' : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = expiry === 'never' ? null : new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
    const input = { name: name.trim() || null, expiresAt };
    const { payload, ok } = await create.run(TOKEN_CREATE, { input }, (d) => d.accessTokenCreate);
    if (ok && payload?.token) {
      setCreated({
        token: payload.token,
        cappedAt: payload.expiryCapped ? (payload.accessToken?.expiresAt ?? null) : null,
      });
      setName('');
      await refetch();
    }
  };
  const askRevoke = (t: AccessToken) =>
    ask({
      title: 'Revoke access token',
      message: `${t.name ?? 'This token'} (${t.hint}) stops working at once, with the tokens and sessions made with it.`,
      confirmLabel: 'Revoke token',
      danger: true,
      onConfirm: async () => {
        await revoke.run(TOKEN_REVOKE, { input: { id: t.id } }, (d) => d.accessTokenRevoke, { rows: [t.id] });
      },
    });

  const createErrors = create.errors;
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Access tokens
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        For scripts and the GraphQL API (Authorization: Bearer), or to sign in here. A token made here belongs to this
        browser session: signing out or ending the session revokes it, and it expires when the session does at the
        latest.
      </Text>
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
            {created.cappedAt && (
              <Text size="sm">
                It expires {formatDateTime(created.cappedAt)}, when this session ends: a token never outlives what made
                it.
              </Text>
            )}
            <TextInput
              label="New access token"
              readOnly
              value={created.token}
              styles={{ input: { fontFamily: 'monospace' } }}
              onFocus={(e) => e.currentTarget.select()}
            />
          </Stack>
        </Alert>
      )}
      {tokens && (
        <DataTable
          label="Access tokens"
          columns={['Name', 'Ends in', 'Created by', 'Created', 'Last used', 'Expires', 'Actions']}
          minWidth={640}
          tableProps={{ striped: true, fz: 'sm' }}
          nodes={tokens}
          row={(t) => (
            <Table.Tr>
              <Table.Td>{t.name ?? '—'}</Table.Td>
              <Table.Td>
                <code style={{ whiteSpace: 'nowrap' }}>{t.hint}</code>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-word' }}>{t.createdBy.label}</Table.Td>
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
                <RowError message={revoke.rowErrors[t.id]} />
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
          <Button type="submit" mt={25} loading={create.loading}>
            Create token
          </Button>
        </Group>
        <FormErrors errors={createErrors} except={['name', 'expiresAt']} />
      </form>
    </Paper>
  );
}

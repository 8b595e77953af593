import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { useUnsavedChanges } from '../../ui/UnsavedChanges';
import { FormErrors, RequestError, fieldError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { roleLabel } from '../../format';
import { graphql } from '../../gql';
import { usePageTitle } from '../../ui/usePageTitle';
import { ORGANIZATIONS, ORGANIZATIONS_PAGE_SIZE } from './documents';
import { OrganizationRow } from './OrganizationRow';

const ORGANIZATION_CREATE = graphql(`
  mutation OrganizationCreate($input: OrganizationCreateInput!) {
    organizationCreate(input: $input) {
      organization {
        id
        name
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

/**
 * The organizations I am a confirmed member of, with my role; those waiting for an administrator to confirm me;
 * creating one makes me its owner.
 */
export function OrganizationsPage() {
  usePageTitle('Organizations');
  const navigate = useNavigate();
  const { data, error, loading, pager, connection } = usePagedQuery(ORGANIZATIONS, {
    variables: {},
    pageSize: ORGANIZATIONS_PAGE_SIZE,
    errorPolicy: 'all',
    select: (d) => d.viewer.organizations,
  });
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  // Accepted, waiting for an administrator: invitations still to accept have their own panel above.
  const waiting = data?.viewer.pendingMemberships.filter((m) => m.status === 'ACCEPTED') ?? [];
  // With no organization yet but one on its way, the page says so instead of offering an empty list and a form.
  const onlyWaiting = waiting.length > 0 && data?.viewer.organizations.totalCount === 0;
  const create = useMutationAction();
  const unsaved = useUnsavedChanges(name.trim() ? 'the organization name you typed' : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { payload, ok } = await create.run(ORGANIZATION_CREATE, { input: { name } }, (d) => d.organizationCreate);
    if (!ok || !payload?.organization) return;
    unsaved.release();
    navigate(`/orgs/${payload.organization.id}/members`);
  };
  const userErrors = create.errors;

  return (
    <Stack>
      <Title order={1}>Organizations</Title>
      <RequestError error={data ? undefined : error} />
      {data && data.viewer.pendingInvitations.length > 0 && (
        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="xs">
            Pending invitations
          </Title>
          {data.viewer.pendingInvitations.map((inv) => (
            <Text key={inv.memberId} size="sm">
              {inv.organizationName} invited you as {roleLabel(inv.role)}; open the link in the invitation e-mail to
              accept.
            </Text>
          ))}
        </Paper>
      )}
      {waiting.length > 0 && (
        <Paper withBorder p="md" role="region" aria-label="Waiting for confirmation">
          <Title order={2} size="h4" mb="xs">
            Waiting for confirmation
          </Title>
          {waiting.map((m, i) => (
            <Text key={i} size="sm">
              {m.organizationName} — waiting for an administrator to confirm you
            </Text>
          ))}
        </Paper>
      )}
      {!onlyWaiting && (
        <PagedTable
          label="Organizations"
          columns={['Name', 'Your role', 'Members', 'SCIM', 'Created']}
          minWidth={600}
          connection={connection}
          loading={loading}
          pager={pager}
          noun="organizations"
          row={(o) => <OrganizationRow o={o} />}
        />
      )}
      {onlyWaiting && !creating ? (
        <Group>
          <Button variant="subtle" onClick={() => setCreating(true)}>
            Create an organization instead
          </Button>
        </Group>
      ) : (
        <Paper withBorder p="md">
          <form onSubmit={submit} aria-label="Create an organization">
            <Title order={2} size="h4" mb="xs">
              Create an organization
            </Title>
            <Text size="sm" c="dimmed" mb="xs">
              You become its owner.
            </Text>
            <Group align="flex-start">
              <TextInput
                label="Organization name"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={fieldError(userErrors, 'name')}
                required
                style={{ flex: 1, minWidth: 200 }}
              />
              <Button type="submit" mt={25} loading={create.loading}>
                Create organization
              </Button>
            </Group>
            <FormErrors errors={userErrors} except={['name']} />
          </form>
        </Paper>
      )}
    </Stack>
  );
}

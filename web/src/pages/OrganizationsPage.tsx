import { useMutation, useQuery } from '@apollo/client/react';
import { Anchor, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Pager, useCursorPager } from '../components/Pager';
import { FormErrors, RequestError, fieldError } from '../components/UserErrors';
import { formatDateTime, roleLabel } from '../format';
import { graphql } from '../gql';
import { usePageTitle } from '../usePageTitle';

const PAGE_SIZE = 20;

const ORGANIZATIONS = graphql(`
  query Organizations($first: Int!, $after: String) {
    viewer {
      organizations(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          name
          createdAt
        }
      }
      pendingInvitations {
        memberId
        organizationName
        role
        expiresAt
      }
    }
  }
`);

const ORGANIZATION_CREATE = graphql(`
  mutation OrganizationCreate($input: OrganizationCreateInput!) {
    organizationCreate(input: $input) {
      organization {
        id
        name
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

/** The organizations I am a confirmed member of; creating one makes me its owner. */
export function OrganizationsPage() {
  usePageTitle('Organizations');
  const pager = useCursorPager();
  const navigate = useNavigate();
  const { data, error } = useQuery(ORGANIZATIONS, { variables: { first: PAGE_SIZE, after: pager.after } });
  const [name, setName] = useState('');
  const [create, created] = useMutation(ORGANIZATION_CREATE);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ variables: { input: { name } } });
    const org = r.data?.organizationCreate.organization;
    if (org) navigate(`/orgs/${org.id}/members`);
  };
  const userErrors = created.data?.organizationCreate.userErrors;
  const orgs = data?.viewer.organizations;

  return (
    <Stack>
      <Title order={1}>Organizations</Title>
      <RequestError error={error ?? created.error} />
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
      {orgs && (
        <>
          <Table.ScrollContainer minWidth={360}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {orgs.nodes.map((o) => (
                  <Table.Tr key={o.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/orgs/${o.id}/members`}>
                        {o.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{formatDateTime(o.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            pager={pager}
            pageSize={PAGE_SIZE}
            shown={orgs.nodes.length}
            totalCount={orgs.totalCount}
            hasNextPage={orgs.pageInfo.hasNextPage}
            endCursor={orgs.pageInfo.endCursor}
            noun="organizations"
          />
        </>
      )}
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
            <Button type="submit" mt={25} loading={created.loading}>
              Create organization
            </Button>
          </Group>
          <FormErrors errors={userErrors} except={['name']} />
        </form>
      </Paper>
    </Stack>
  );
}

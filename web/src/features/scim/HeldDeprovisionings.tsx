import { useQuery } from '@apollo/client/react';
import { Alert, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { formatDateTime } from '../../format';
import { graphql } from '../../gql';
import { FormErrors, RequestError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';

const HELD = graphql(`
  query HeldDeprovisionings($id: ID!) {
    organization(id: $id) {
      id
      scim {
        deprovisioningSafeguard {
          enabled
          threshold
          windowMinutes
        }
      }
      heldDeprovisionings(first: 100) {
        totalCount
        nodes {
          id
          memberEmail
          memberDisplayName
          action
          requestedAt
          requestId
          clientRequestId
          apiKeyHint
        }
      }
    }
  }
`);

const APPLY = graphql(`
  mutation HeldDeprovisioningsApply($input: HeldDeprovisioningsDecideInput!) {
    heldDeprovisioningsApply(input: $input) {
      heldDeprovisionings {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const DISCARD = graphql(`
  mutation HeldDeprovisioningsDiscard($input: HeldDeprovisioningsDecideInput!) {
    heldDeprovisioningsDiscard(input: $input) {
      heldDeprovisionings {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

const ACTION_WORDS: Record<string, string> = { DEACTIVATE: 'Deactivate', DELETE: 'Delete' };

/**
 * The deprovisioning safeguard on the SCIM page: when it tripped, a banner and the held changes (who, what, when,
 * which identity provider request), with one decision for all of them. Shown only to those who may decide
 * (manageMembers): for anyone else the list reads as null and nothing is rendered.
 */
export function HeldDeprovisionings({ orgId }: { orgId: string }) {
  const { data, error, refetch } = useQuery(HELD, { variables: { id: orgId }, fetchPolicy: 'cache-and-network' });
  const apply = useMutationAction(refetch);
  const discard = useMutationAction(refetch);
  const held = data?.organization?.heldDeprovisionings;
  const safeguard = data?.organization?.scim?.deprovisioningSafeguard;
  if (!held) return null;

  const decide = async (which: 'apply' | 'discard') => {
    // The ids shown, not `all`: a change held after the page loaded is not decided unseen.
    const input = { organizationId: orgId, ids: held.nodes.map((h) => h.id) };
    await (which === 'apply'
      ? apply.run(APPLY, { input }, (d) => d.heldDeprovisioningsApply)
      : discard.run(DISCARD, { input }, (d) => d.heldDeprovisioningsDiscard));
  };
  const rule = safeguard?.enabled
    ? `more than ${safeguard.threshold} deprovisionings within ${safeguard.windowMinutes} minutes`
    : 'more deprovisionings than the safeguard allows';

  return (
    <Stack>
      <RequestError error={error} />
      <FormErrors errors={apply.errors} title="The held changes were not applied" />
      <FormErrors errors={discard.errors} title="The held changes were not discarded" />
      {held.totalCount > 0 && (
        <Alert color="red" title="Deprovisioning safeguard tripped" role="alert">
          Your identity provider sent {rule}. {held.totalCount} further{' '}
          {held.totalCount === 1 ? 'change is' : 'changes are'} on hold: those people keep their access until you apply
          or discard them.
        </Alert>
      )}
      {held.totalCount > 0 && (
        <Paper withBorder p="md">
          <Stack>
            <Title order={2} size="h4">
              Held changes
            </Title>
            <Table aria-label="Held changes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Identity provider request</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {held.nodes.map((h) => (
                  <Table.Tr key={h.id}>
                    <Table.Td>
                      {h.memberDisplayName ? `${h.memberDisplayName} ` : ''}
                      <Text span c="dimmed" size="sm">
                        {h.memberEmail}
                      </Text>
                    </Table.Td>
                    <Table.Td>{ACTION_WORDS[h.action] ?? h.action}</Table.Td>
                    <Table.Td>{formatDateTime(h.requestedAt)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {h.clientRequestId ?? h.requestId ?? '—'}
                      </Text>
                      {h.apiKeyHint && (
                        <Text size="xs" c="dimmed">
                          key {h.apiKeyHint}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {held.totalCount > held.nodes.length && (
              <Text size="sm" c="dimmed">
                Showing the oldest {held.nodes.length} of {held.totalCount}: the buttons decide for these, then the next
                ones show.
              </Text>
            )}
            <Group>
              <Button color="red" onClick={() => decide('apply')} loading={apply.loading}>
                Apply held changes
              </Button>
              <Button variant="default" onClick={() => decide('discard')} loading={discard.loading}>
                Discard held changes
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

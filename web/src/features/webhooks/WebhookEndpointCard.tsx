import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { graphql } from '../../gql';
import type { WebhooksQuery } from '../../gql/graphql';
import { ActionButton } from '../../ui/ActionButton';
import { RowError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';

const ENDPOINT_TEST = graphql(`
  mutation WebhookEndpointTest($input: WebhookEndpointRefInput!) {
    webhookEndpointTest(input: $input) {
      delivery {
        id
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

const DELIVERY_RETRY = graphql(`
  mutation WebhookDeliveryRetry($input: WebhookDeliveryRetryInput!) {
    webhookDeliveryRetry(input: $input) {
      delivery {
        id
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

type Endpoint = NonNullable<NonNullable<WebhooksQuery['organization']>['webhookEndpoints']>[number];

const STATUS_COLOR = { DELIVERED: 'green', PENDING: 'yellow', FAILED: 'red' } as const;

/** One endpoint: where it points, which events, a test event, and its latest deliveries (each retryable). */
export function WebhookEndpointCard({
  orgId,
  endpoint,
  deniedReason,
  onChanged,
}: {
  orgId: string;
  endpoint: Endpoint;
  deniedReason: string | null;
  onChanged: () => Promise<unknown>;
}) {
  const action = useMutationAction(onChanged);
  const test = () =>
    action.run(
      ENDPOINT_TEST,
      { input: { organizationId: orgId, endpointId: endpoint.id } },
      (d) => d.webhookEndpointTest,
      {
        rows: [endpoint.id],
      },
    );
  const retry = (deliveryId: string) =>
    action.run(DELIVERY_RETRY, { input: { organizationId: orgId, deliveryId } }, (d) => d.webhookDeliveryRetry, {
      rows: [deliveryId],
    });
  return (
    <Paper withBorder p="md" aria-label={`Endpoint ${endpoint.url}`} component="section">
      <Group justify="space-between" mb="xs">
        <Stack gap={2}>
          <Text fw={600}>{endpoint.url}</Text>
          <Text size="xs" c="dimmed">
            {endpoint.eventTypes ? endpoint.eventTypes.join(', ') : 'All event types'}
            {endpoint.enabled ? '' : ` · turned off${endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ''}`}
          </Text>
        </Stack>
        <ActionButton size="xs" variant="default" deniedReason={deniedReason} onClick={() => void test()}>
          Send test event
        </ActionButton>
      </Group>
      <RowError message={action.rowErrors[endpoint.id]} />
      <Table.ScrollContainer
        minWidth={560}
        type="native"
        tabIndex={0}
        role="region"
        aria-label={`Deliveries to ${endpoint.url}`}
      >
        <Table aria-label={`Deliveries to ${endpoint.url}`} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Event</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Attempts</Table.Th>
              <Table.Th>HTTP</Table.Th>
              <Table.Th>Next attempt</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {endpoint.deliveries.nodes.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <Text size="sm">{d.eventType}</Text>
                  <Text size="xs" c="dimmed">
                    {d.webhookId}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[d.status]} variant="light">
                    {d.status}
                  </Badge>
                </Table.Td>
                <Table.Td>{d.attempts}</Table.Td>
                <Table.Td>
                  {d.lastStatusCode ?? '—'}
                  {d.durationMs != null ? ` · ${d.durationMs} ms` : ''}
                </Table.Td>
                <Table.Td>{d.nextAttemptAt ? new Date(d.nextAttemptAt).toLocaleString() : '—'}</Table.Td>
                <Table.Td>
                  <ActionButton
                    size="xs"
                    variant="default"
                    deniedReason={deniedReason}
                    onClick={() => void retry(d.id)}
                    aria-label={`Retry delivery of ${d.eventType} ${d.webhookId}`}
                  >
                    Retry
                  </ActionButton>
                  <RowError message={action.rowErrors[d.id]} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {endpoint.deliveries.nodes.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          No deliveries yet.
        </Text>
      )}
    </Paper>
  );
}

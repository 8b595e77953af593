import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ActionButton } from '../../ui/ActionButton';
import { useOrg } from '../../shell/OrgScope';
import { FormErrors, RequestError, fieldError } from '../../ui/UserErrors';
import { graphql } from '../../gql';
import type { WebhooksQuery } from '../../gql/graphql';
import { usePageTitle } from '../../ui/usePageTitle';

const WEBHOOKS = graphql(`
  query Webhooks($id: ID!) {
    organization(id: $id) {
      id
      webhookEventTypes
      webhookEndpoints {
        id
        url
        eventTypes
        enabled
        disabledReason
        deliveries(first: 20) {
          nodes {
            id
            webhookId
            eventType
            status
            attempts
            lastStatusCode
            durationMs
            nextAttemptAt
          }
        }
      }
    }
  }
`);

const ENDPOINT_CREATE = graphql(`
  mutation WebhookEndpointCreate($input: WebhookEndpointCreateInput!) {
    webhookEndpointCreate(input: $input) {
      endpoint {
        id
      }
      secret
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

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

/** Settings → Webhooks: the endpoints, adding one (its secret shown once), test events, deliveries and retries. */
export function WebhooksPage() {
  const org = useOrg();
  usePageTitle(`Webhooks · ${org.name}`);
  const { data, error, refetch } = useQuery(WEBHOOKS, { variables: { id: org.id }, pollInterval: 3000 });
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [create, created] = useMutation(ENDPOINT_CREATE);
  const [sendTest] = useMutation(ENDPOINT_TEST);
  const [retry] = useMutation(DELIVERY_RETRY);
  const manage = org.viewerPermissions.manageWebhooks ? null : 'You may not manage webhooks in this organization.';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({
      variables: { input: { organizationId: org.id, url, eventTypes: types.length ? types : null } },
    });
    if (r.data?.webhookEndpointCreate.secret) {
      setSecret(r.data.webhookEndpointCreate.secret);
      setUrl('');
      setTypes([]);
      await refetch();
    }
  };
  const test = async (endpoint: Endpoint) => {
    await sendTest({ variables: { input: { organizationId: org.id, endpointId: endpoint.id } } });
    await refetch();
  };
  const retryDelivery = async (deliveryId: string) => {
    await retry({ variables: { input: { organizationId: org.id, deliveryId } } });
    await refetch();
  };

  const createErrors = created.data?.webhookEndpointCreate.userErrors;
  const endpoints = data?.organization?.webhookEndpoints ?? [];
  return (
    <Stack>
      <Title order={1}>Webhooks</Title>
      <Text c="dimmed" size="sm">
        Every change of members, groups and SCIM settings is POSTed, signed (Standard Webhooks), to these endpoints.
      </Text>
      <RequestError error={error ?? created.error} />
      {secret && (
        <Alert
          title="Copy the signing secret"
          color="yellow"
          withCloseButton
          closeButtonLabel="Hide the secret"
          onClose={() => setSecret(null)}
        >
          <Text size="sm">Copy it now: it is shown only this once.</Text>
          <Code block aria-label="Signing secret">
            {secret}
          </Code>
        </Alert>
      )}
      {endpoints.map((endpoint) => (
        <Paper key={endpoint.id} withBorder p="md" aria-label={`Endpoint ${endpoint.url}`} component="section">
          <Group justify="space-between" mb="xs">
            <Stack gap={2}>
              <Text fw={600}>{endpoint.url}</Text>
              <Text size="xs" c="dimmed">
                {endpoint.eventTypes ? endpoint.eventTypes.join(', ') : 'All event types'}
                {endpoint.enabled
                  ? ''
                  : ` · turned off${endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ''}`}
              </Text>
            </Stack>
            <ActionButton size="xs" variant="default" deniedReason={manage} onClick={() => test(endpoint)}>
              Send test event
            </ActionButton>
          </Group>
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
                    <ActionButton size="xs" variant="default" deniedReason={manage} onClick={() => retryDelivery(d.id)}>
                      Retry
                    </ActionButton>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {endpoint.deliveries.nodes.length === 0 && (
            <Text size="sm" c="dimmed" mt="xs">
              No deliveries yet.
            </Text>
          )}
        </Paper>
      ))}
      <Paper withBorder p="md">
        <form onSubmit={submit} aria-label="Add endpoint">
          <Title order={2} size="h4" mb="xs">
            Add endpoint
          </Title>
          <Stack>
            <TextInput
              label="Endpoint URL"
              placeholder="https://example.com/orgd-events"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              error={fieldError(createErrors, 'url')}
            />
            <MultiSelect
              label="Event types"
              placeholder={types.length ? undefined : 'All event types'}
              data={data?.organization?.webhookEventTypes ?? []}
              value={types}
              onChange={setTypes}
              error={fieldError(createErrors, 'eventTypes')}
              clearable
            />
            <Group>
              <ActionButton type="submit" deniedReason={manage} loading={created.loading}>
                Add endpoint
              </ActionButton>
              <Button variant="subtle" onClick={() => refetch()}>
                Refresh
              </Button>
            </Group>
          </Stack>
          <FormErrors errors={createErrors} except={['url', 'eventTypes']} />
        </form>
      </Paper>
    </Stack>
  );
}

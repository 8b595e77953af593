import { useQuery } from '@apollo/client/react';
import { Alert, Button, Code, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { graphql } from '../../gql';
import { useOrg } from '../../shell/OrgScope';
import { RequestError } from '../../ui/UserErrors';
import { usePageTitle } from '../../ui/usePageTitle';
import { WebhookEndpointCard } from './WebhookEndpointCard';
import { WebhookEndpointForm } from './WebhookEndpointForm';

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

/** Settings → Webhooks: the endpoints, adding one (its secret shown once), test events, deliveries and retries. */
export function WebhooksPage() {
  const org = useOrg();
  usePageTitle(`Webhooks · ${org.name}`);
  const { data, error, refetch } = useQuery(WEBHOOKS, { variables: { id: org.id }, pollInterval: 3000 });
  const [secret, setSecret] = useState<string | null>(null);
  const manage = org.viewerPermissions.manageWebhooks ? null : 'You may not manage webhooks in this organization.';
  const endpoints = data?.organization?.webhookEndpoints ?? [];
  return (
    <Stack>
      <Title order={1}>Webhooks</Title>
      <Text c="dimmed" size="sm">
        Every change of members, groups and SCIM settings is POSTed, signed (Standard Webhooks), to these endpoints.
      </Text>
      <RequestError error={error} />
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
        <WebhookEndpointCard
          key={endpoint.id}
          orgId={org.id}
          endpoint={endpoint}
          deniedReason={manage}
          onChanged={refetch}
        />
      ))}
      <WebhookEndpointForm
        orgId={org.id}
        eventTypes={data?.organization?.webhookEventTypes ?? []}
        deniedReason={manage}
        onCreated={async (created) => {
          setSecret(created);
          await refetch();
        }}
      >
        <Button variant="subtle" onClick={() => refetch()}>
          Refresh
        </Button>
      </WebhookEndpointForm>
    </Stack>
  );
}

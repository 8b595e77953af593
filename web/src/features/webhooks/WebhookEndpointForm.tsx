import { Group, MultiSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, type ReactNode, useState } from 'react';
import { graphql } from '../../gql';
import { ActionButton } from '../../ui/ActionButton';
import { useUnsavedChanges } from '../../ui/UnsavedChanges';
import { FormErrors, fieldError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';

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

/** "Add endpoint": a URL and the event types it wants (none picked: all); its signing secret goes to `onCreated`. */
export function WebhookEndpointForm({
  orgId,
  eventTypes,
  deniedReason,
  onCreated,
  children,
}: {
  orgId: string;
  eventTypes: string[];
  deniedReason: string | null;
  onCreated: (secret: string) => Promise<unknown>;
  /** More buttons beside "Add endpoint". */
  children?: ReactNode;
}) {
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const create = useMutationAction();
  useUnsavedChanges(url.trim() || types.length ? 'the endpoint you were adding' : null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input = { organizationId: orgId, url, eventTypes: types.length ? types : null };
    const { payload, ok } = await create.run(ENDPOINT_CREATE, { input }, (d) => d.webhookEndpointCreate);
    if (ok && payload?.secret) {
      setUrl('');
      setTypes([]);
      await onCreated(payload.secret);
    }
  };
  return (
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
            error={fieldError(create.errors, 'url')}
          />
          <MultiSelect
            label="Event types"
            placeholder={types.length ? undefined : 'All event types'}
            data={eventTypes}
            value={types}
            onChange={setTypes}
            error={fieldError(create.errors, 'eventTypes')}
            clearable
          />
          <Group>
            <ActionButton type="submit" deniedReason={deniedReason} loading={create.loading}>
              Add endpoint
            </ActionButton>
            {children}
          </Group>
        </Stack>
        <FormErrors errors={create.errors} except={['url', 'eventTypes']} />
      </form>
    </Paper>
  );
}

import { Alert, Code, Group, MultiSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useOrg } from '../../shell/OrgScope';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { RequestError } from '../../ui/UserErrors';
import { formatDateTime } from '../../format';
import { graphql } from '../../gql';
import type { EventLogQuery } from '../../gql/graphql';
import { usePageTitle } from '../../ui/usePageTitle';

const PAGE_SIZE = 25;

const EVENTS = graphql(`
  query EventLog($id: ID!, $first: Int!, $after: String, $filter: AuditEventFilter) {
    organization(id: $id) {
      id
      events(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        nodes {
          id
          type
          occurredAt
          requestId
          data
          actor {
            kind
            member {
              id
              email
            }
          }
          target {
            type
            id
            member {
              id
              email
            }
          }
        }
      }
    }
  }
`);

const EVENT_TYPES = [
  'member.invited',
  'member.provisioned',
  'member.reinvited',
  'member.accepted',
  'member.confirmed',
  'member.revoked',
  'member.restored',
  'member.removed',
  'member.updated',
  'member.groups_set',
  'member.role_source_set',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.role_mapping_set',
  'group.role_mapping_cleared',
  'scim.enabled',
  'scim.disabled',
  'scim.key_rotated',
  'scim.settings_updated',
  'organization.created',
  'organization.updated',
];

type Event = NonNullable<NonNullable<EventLogQuery['organization']>['events']>['nodes'][number];

const ACTOR_LABELS: Record<string, string> = {
  SCIM: 'Identity provider (SCIM)',
  CLI: 'Operator (orgctl)',
  SYSTEM: 'System',
  USER: 'User',
};
const actorOf = (e: Event) =>
  e.actor.kind === 'USER' ? (e.actor.member?.email ?? 'A user') : (ACTOR_LABELS[e.actor.kind] ?? e.actor.kind);
const targetOf = (e: Event) =>
  e.target.member?.email ??
  (e.target.type ? `${e.target.type}${e.target.id ? ` ${e.target.id.slice(0, 8)}…` : ''}` : '—');

const PAGE_KEY = 'page';

/** The organization's audit trail, newest first, filtered by event type. */
export function EventLogPage() {
  const org = useOrg();
  usePageTitle(`Event log · ${org.name}`);
  // The filter and the page live in the address: reload and Back keep them.
  const [params, setParams] = useSearchParams();
  const types = params.getAll('type');
  const setTypes = (next: string[]) => {
    const copy = new URLSearchParams(params);
    copy.delete('type');
    copy.delete(PAGE_KEY);
    for (const t of next) copy.append('type', t);
    setParams(copy);
  };
  const { error, loading, pager, connection } = usePagedQuery(EVENTS, {
    variables: { id: org.id, filter: types.length ? { types } : undefined },
    pageSize: PAGE_SIZE,
    urlKey: PAGE_KEY,
    select: (d) => d.organization?.events,
    skip: !org.viewerPermissions.viewEvents,
  });

  return (
    <Stack>
      <Title order={1}>Event log</Title>
      {!org.viewerPermissions.viewEvents ? (
        <Alert color="gray" title="Not available to you">
          Reading the event log needs the "access event logs" permission.
        </Alert>
      ) : (
        <>
          <Group>
            <MultiSelect
              label="Event types"
              placeholder={types.length ? undefined : 'All events'}
              data={EVENT_TYPES}
              value={types}
              onChange={setTypes}
              clearable
              searchable
              maw={560}
              style={{ flex: 1 }}
            />
          </Group>
          <RequestError error={error} />
          <PagedTable
            label="Events"
            columns={['Time', 'Event', 'By', 'About', 'Details']}
            minWidth={720}
            tableProps={{ striped: true, fz: 'sm' }}
            connection={connection}
            loading={loading}
            pager={pager}
            noun="events"
            row={(e) => (
              <Table.Tr>
                <Table.Td>{formatDateTime(e.occurredAt)}</Table.Td>
                <Table.Td>
                  <Code>{e.type}</Code>
                </Table.Td>
                <Table.Td>{actorOf(e)}</Table.Td>
                <Table.Td>{targetOf(e)}</Table.Td>
                <Table.Td>
                  <Text size="xs" style={{ wordBreak: 'break-word' }}>
                    {e.data ? JSON.stringify(e.data) : ''}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          />
        </>
      )}
    </Stack>
  );
}

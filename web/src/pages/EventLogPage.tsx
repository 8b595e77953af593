import { useQuery } from '@apollo/client/react';
import { Alert, Code, Group, MultiSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useOrg } from '../components/OrgScope';
import { Pager, useCursorPager } from '../components/Pager';
import { RequestError } from '../components/UserErrors';
import { formatDateTime } from '../format';
import { graphql } from '../gql';
import type { EventLogQuery } from '../gql/graphql';
import { usePageTitle } from '../usePageTitle';

const PAGE_SIZE = 25;

const EVENTS = graphql(`
  query EventLog($id: ID!, $first: Int!, $after: String, $filter: AuditEventFilter) {
    organization(id: $id) {
      id
      events(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
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
  'group.created',
  'group.updated',
  'group.deleted',
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

/** The organization's audit trail, newest first, filtered by event type. */
export function EventLogPage() {
  const org = useOrg();
  usePageTitle(`Event log · ${org.name}`);
  const pager = useCursorPager();
  const [types, setTypes] = useState<string[]>([]);
  const { reset } = pager;
  useEffect(() => reset(), [types, reset]);
  const { data, error } = useQuery(EVENTS, {
    variables: { id: org.id, first: PAGE_SIZE, after: pager.after, filter: types.length ? { types } : undefined },
    skip: !org.viewerPermissions.viewEvents,
  });
  const events = data?.organization?.events;

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
          {events && (
            <>
              <Table.ScrollContainer minWidth={720}>
                <Table striped fz="sm" aria-label="Events">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Time</Table.Th>
                      <Table.Th>Event</Table.Th>
                      <Table.Th>By</Table.Th>
                      <Table.Th>About</Table.Th>
                      <Table.Th>Details</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {events.nodes.map((e) => (
                      <Table.Tr key={e.id}>
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
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Pager
                pager={pager}
                pageSize={PAGE_SIZE}
                shown={events.nodes.length}
                totalCount={events.totalCount}
                hasNextPage={events.pageInfo.hasNextPage}
                endCursor={events.pageInfo.endCursor}
                noun="events"
              />
            </>
          )}
        </>
      )}
    </Stack>
  );
}

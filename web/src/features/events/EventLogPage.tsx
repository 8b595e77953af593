import { Alert, Code, Group, Stack, Table, Title } from '@mantine/core';
import { useOrg } from '../../shell/OrgScope';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { RequestError } from '../../ui/UserErrors';
import { formatDateTime } from '../../format';
import { graphql } from '../../gql';
import { usePageTitle } from '../../ui/usePageTitle';
import { ExportLink } from '../../ui/ExportLink';
import { EventFilters } from './EventFilters';
import { EventSentence } from './EventSentence';
import { EVENTS_PAGE_KEY, eventsCsv, useEventFilter } from './useEventFilter';

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
          source
          reason
          actor {
            kind
            display
            memberId
          }
          target {
            type
            id
            display
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

const SOURCE_LABELS: Record<string, string> = { CONSOLE: 'Console', SCIM: 'SCIM', CLI: 'orgctl', SYSTEM: 'System' };

/**
 * The organization's audit trail, newest first, each event a sentence (who did what to whom, and why), filtered
 * by type, person, actor, source and days, in the address; exported as CSV with the same filter.
 */
export function EventLogPage() {
  const org = useOrg();
  usePageTitle(`Event log · ${org.name}`);
  const filters = useEventFilter();
  const { error, loading, pager, connection } = usePagedQuery(EVENTS, {
    variables: { id: org.id, filter: filters.filter },
    pageSize: PAGE_SIZE,
    urlKey: EVENTS_PAGE_KEY,
    select: (d) => d.organization?.events,
    skip: !org.viewerPermissions.viewEvents,
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Event log</Title>
        {org.viewerPermissions.viewEvents && <ExportLink href={eventsCsv(org.id, filters.filter)} />}
      </Group>
      {!org.viewerPermissions.viewEvents ? (
        <Alert color="gray" title="Not available to you">
          Reading the event log needs the "access event logs" permission.
        </Alert>
      ) : (
        <>
          <EventFilters state={filters} />
          <RequestError error={error} />
          <PagedTable
            label="Events"
            columns={['Time', 'What happened', 'Event', 'Source']}
            minWidth={720}
            tableProps={{ striped: true, fz: 'sm' }}
            connection={connection}
            loading={loading}
            pager={pager}
            noun="events"
            row={(e) => (
              <Table.Tr>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.occurredAt)}</Table.Td>
                <Table.Td>
                  <EventSentence orgId={org.id} e={e} />
                </Table.Td>
                <Table.Td>
                  <Code>{e.type}</Code>
                </Table.Td>
                <Table.Td>{SOURCE_LABELS[e.source] ?? e.source}</Table.Td>
              </Table.Tr>
            )}
          />
        </>
      )}
    </Stack>
  );
}

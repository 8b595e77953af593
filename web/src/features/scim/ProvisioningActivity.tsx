import { Checkbox, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { clientLabel, formatDateTime, timeAgo } from '../../format';
import { graphql } from '../../gql';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { RequestError } from '../../ui/UserErrors';

const PAGE_SIZE = 20;
const REFRESH_MS = 5_000;

const ACTIVITY = graphql(`
  query ProvisioningActivity(
    $id: ID!
    $first: Int!
    $after: String
    $filter: ScimRequestLogFilter
    $since: DateTimeISO!
  ) {
    organization(id: $id) {
      id
      scim {
        latest: requestLog(first: 1) {
          nodes {
            id
            occurredAt
            client
          }
        }
        recentFailures: requestLog(first: 1, filter: { failed: true, since: $since }) {
          totalCount
        }
        requestLog(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo {
            ...PageInfoFields
          }
          nodes {
            id
            occurredAt
            method
            path
            status
            durationMs
            summary
            client
            requestId
            apiKeyHint
            apiKeyStatus
          }
        }
      }
    }
  }
`);

/** What a SCIM request did, from its method and path: "Create user", "Update group", … */
function operationOf(method: string, path: string): { operation: string; resource: string } {
  const parts = path.split('/').filter(Boolean);
  const i = parts.findIndex((p) => p === 'Users' || p === 'Groups');
  if (i < 0) return { operation: `${method} ${parts[parts.length - 1] ?? ''}`.trim(), resource: '—' };
  const kind = parts[i] === 'Users' ? 'user' : 'group';
  const id = parts[i + 1];
  const verb: Record<string, string> = {
    GET: id ? 'Read' : 'List',
    POST: 'Create',
    PUT: 'Replace',
    PATCH: 'Update',
    DELETE: 'Delete',
  };
  return { operation: `${verb[method] ?? method} ${kind}${!id && method === 'GET' ? 's' : ''}`, resource: id ?? '—' };
}

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

/** The SCIM request log: refreshed while the page is open, with a "failures only" filter. */
export function ProvisioningActivity({ orgId }: { orgId: string }) {
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [since, setSince] = useState(hourAgo);
  useEffect(() => {
    const timer = setInterval(() => setSince(hourAgo()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const filter = failuresOnly ? { failed: true } : undefined;
  const { data, error, pager, connection } = usePagedQuery(ACTIVITY, {
    variables: { id: orgId, filter, since },
    pageSize: PAGE_SIZE,
    select: (d) => d.organization?.scim?.requestLog,
    // The "last hour" window moves every minute; only the filter starts the log again from its first page.
    resetOn: filter,
    pollFirstPage: REFRESH_MS,
    notifyOnNetworkStatusChange: false,
  });
  const scim = data?.organization?.scim;
  const latest = scim?.latest.nodes[0];
  const failures = scim?.recentFailures.totalCount ?? 0;

  return (
    <Paper withBorder p="md" aria-labelledby="activity-title">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="activity-title">
          Provisioning activity
        </Title>
        <Checkbox
          label="Failures only"
          checked={failuresOnly}
          onChange={(e) => setFailuresOnly(e.currentTarget.checked)}
        />
      </Group>
      <Text size="sm" mb="sm" data-testid="activity-summary">
        {latest
          ? `Last request from ${clientLabel(latest.client)} ${timeAgo(latest.occurredAt)} — ${failures} failure${failures === 1 ? '' : 's'} in the last hour`
          : 'No request from an identity provider yet.'}
      </Text>
      <RequestError error={error} />
      <PagedTable
        label="SCIM requests"
        columns={['Time', 'Operation', 'Resource', 'Status', 'Key', 'Error']}
        minWidth={720}
        tableProps={{ striped: true, verticalSpacing: 4, fz: 'sm' }}
        connection={connection}
        pager={pager}
        noun={failuresOnly ? 'failed requests' : 'requests'}
        row={(r) => {
          const { operation, resource } = operationOf(r.method, r.path);
          const failed = r.status >= 400;
          return (
            <Table.Tr>
              <Table.Td title={formatDateTime(r.occurredAt)}>{timeAgo(r.occurredAt)}</Table.Td>
              <Table.Td>{operation}</Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>{resource}</Table.Td>
              <Table.Td fw={failed ? 700 : undefined} c={failed ? 'var(--mantine-color-error)' : undefined}>
                {r.status}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {r.apiKeyHint ? `${r.apiKeyHint}${r.apiKeyStatus === 'PREVIOUS' ? ' (previous)' : ''}` : '—'}
              </Table.Td>
              <Table.Td>{failed ? (r.summary ?? '') : ''}</Table.Td>
            </Table.Tr>
          );
        }}
      />
    </Paper>
  );
}

import { Checkbox, Group, Paper, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { ProvisioningActivityQuery } from '../../gql/graphql';
import { timeAgo } from '../../format';
import { PagedTable } from '../../ui/PagedTable';
import { usePagedQuery } from '../../ui/usePagedQuery';
import { RequestError } from '../../ui/UserErrors';
import { ACTIVITY } from './activityDocuments';
import { ActivityRow } from './ActivityRow';

const PAGE_SIZE = 20;
const REFRESH_MS = 5_000;

type Stats = NonNullable<NonNullable<ProvisioningActivityQuery['organization']>['scim']>['requestStats'];
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/**
 * "Last successful request from JumpCloud 2 min ago · 1 failure in the last hour": requests refused for their key
 * are counted apart (a stranger, or a rotated-out key), never as the identity provider's failures.
 */
export function activitySummary(stats: Stats | undefined): string {
  const client = stats?.clients[0];
  if (!stats || !client) return 'No successful request from an identity provider yet.';
  const rejected = stats.rejectedKeysLastHour ? ` (and ${count(stats.rejectedKeysLastHour, 'rejected key')})` : '';
  return `Last successful request from ${client.name} ${timeAgo(client.lastSuccessAt)} · ${count(stats.failuresLastHour, 'failure')} in the last hour${rejected}`;
}

/** The SCIM request log: refreshed while the page is open, searchable by person, with "Failures only". */
export function ProvisioningActivity({ orgId }: { orgId: string }) {
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [search, setSearch] = useState('');
  const [person] = useDebouncedValue(search.trim(), 250);
  const filter =
    failuresOnly || person ? { failed: failuresOnly || undefined, person: person || undefined } : undefined;
  const { data, error, pager, connection } = usePagedQuery(ACTIVITY, {
    variables: { id: orgId, filter },
    pageSize: PAGE_SIZE,
    select: (d) => d.organization?.scim?.requestLog,
    resetOn: filter,
    pollFirstPage: REFRESH_MS,
    notifyOnNetworkStatusChange: false,
  });
  const stats = data?.organization?.scim?.requestStats;

  return (
    <Paper withBorder p="md" aria-labelledby="activity-title">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="activity-title">
          Provisioning activity
        </Title>
        <Group gap="sm" align="center">
          <TextInput
            aria-label="Search by person"
            placeholder="Search by person (e-mail, user name)"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            size="xs"
          />
          <Checkbox
            label="Failures only"
            checked={failuresOnly}
            onChange={(e) => setFailuresOnly(e.currentTarget.checked)}
          />
        </Group>
      </Group>
      <Text size="sm" mb="sm" data-testid="activity-summary">
        {activitySummary(stats)}
      </Text>
      <RequestError error={error} />
      <PagedTable
        label="SCIM requests"
        columns={['Time', 'Operation', 'Person or group', 'Client', 'Status', 'Key', 'Summary']}
        minWidth={860}
        tableProps={{ striped: true, verticalSpacing: 4, fz: 'sm' }}
        connection={connection}
        pager={pager}
        noun={failuresOnly ? 'failed requests' : 'requests'}
        row={(r) => <ActivityRow orgId={orgId} r={r} />}
      />
    </Paper>
  );
}

import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatDateTime, timeAgo } from '../../format';
import type { ProvisioningActivityQuery } from '../../gql/graphql';
import { operationOf } from './activityDocuments';

type Entry = NonNullable<NonNullable<ProvisioningActivityQuery['organization']>['scim']>['requestLog']['nodes'][number];

/** The member or group a request was about, linked to where the console shows it; its id once deleted. */
function TargetLink({ orgId, target }: { orgId: string; target: NonNullable<Entry['target']> }) {
  const label = target.email ?? target.name ?? target.id;
  const to =
    target.type === 'group'
      ? `/orgs/${orgId}/groups/${target.id}`
      : `/orgs/${orgId}/members?q=${encodeURIComponent(target.email ?? target.id)}`;
  if (!target.email && !target.name) return <Text size="sm">{label} (deleted)</Text>;
  return (
    <Anchor component={Link} to={to} size="sm" style={{ wordBreak: 'break-all' }}>
      {label}
    </Anchor>
  );
}

/** One SCIM request: when, what, about whom, from which client, how it ended; a warning stands out. */
export function ActivityRow({ orgId, r }: { orgId: string; r: Entry }) {
  const failed = r.status >= 400;
  const key = r.apiKeyHint ? `${r.apiKeyHint}${r.apiKeyStatus === 'PREVIOUS' ? ' (previous)' : ''}` : '—';
  return (
    <Table.Tr className={r.hasWarning ? 'warning-row' : undefined}>
      <Table.Td title={formatDateTime(r.occurredAt)}>{timeAgo(r.occurredAt)}</Table.Td>
      <Table.Td>{operationOf(r.method, r.path)}</Table.Td>
      <Table.Td>{r.target ? <TargetLink orgId={orgId} target={r.target} /> : '—'}</Table.Td>
      <Table.Td>{r.clientName}</Table.Td>
      <Table.Td fw={failed ? 700 : undefined} c={failed ? 'var(--mantine-color-error)' : undefined}>
        {r.status}
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{key}</Table.Td>
      <Table.Td>
        {r.summary}
        {r.warning && (
          <Text size="sm" fw={600}>
            Warning: {r.warning}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

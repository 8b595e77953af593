import { Paper, Table, Title } from '@mantine/core';
import { PagedTable } from '../../ui/PagedTable';
import type { Connection, CursorPager } from '../../ui/Pager';
import { formatDateTime } from '../../format';

const EVENT_LABELS: Record<string, string> = {
  'account.token_created': 'Access token created',
  'account.token_revoked': 'Access token revoked',
  'account.signed_in': 'Signed in',
  'account.sessions_revoked': 'Oldest sessions ended (too many sessions)',
  'account.oidc_linked': 'Single sign-on identity linked',
};
const METHOD_LABELS: Record<string, string> = {
  oidc: 'single sign-on',
  email_link: 'e-mail link',
  access_token: 'access token',
  invitation: 'invitation',
};

interface AccountEvent {
  id: string;
  type: string;
  createdAt: string;
  details?: Record<string, unknown> | null;
}

/** "Signed in with single sign-on", "Access token created "deploy script"". */
function eventText(e: AccountEvent): string {
  const label = EVENT_LABELS[e.type] ?? e.type;
  const method = typeof e.details?.method === 'string' ? (METHOD_LABELS[e.details.method] ?? e.details.method) : null;
  const name = typeof e.details?.name === 'string' ? e.details.name : null;
  return [label, method && `with ${method}`, name && `"${name}"`].filter(Boolean).join(' ');
}

/** What happened to my account (sign-ins, tokens), newest first, a page at a time. */
export function AccountActivity({
  connection,
  pager,
}: {
  connection: Connection<AccountEvent> | undefined;
  pager: CursorPager;
}) {
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">
        Account activity
      </Title>
      <PagedTable
        label="Account activity"
        columns={['Time', 'What happened']}
        tableProps={{ fz: 'sm' }}
        connection={connection}
        pager={pager}
        noun="events"
        row={(e) => (
          <Table.Tr>
            <Table.Td>{formatDateTime(e.createdAt)}</Table.Td>
            <Table.Td>{eventText(e)}</Table.Td>
          </Table.Tr>
        )}
      />
    </Paper>
  );
}

import { Alert, Button, Group, Modal, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Org } from '../../shell/OrgScope';
import { BULK_ACTIONS, type BulkKind, type BulkOptions, membersCount, NO_OPTIONS } from './bulkActions';
import { BulkFailures } from './BulkFailures';
import { GroupField, RevokeFields, RoleField } from './BulkFields';
import type { BatchProgress } from './useBatches';

/** What a bulk dialog is about: the action, the members (ids), and who they are when known. */
export interface BulkRequest {
  kind: BulkKind;
  ids: readonly string[];
  /** The one member's address when the request is about one member. */
  who?: string;
  /** The identity provider managing some of the members (its next sync may undo the change), else null. */
  managedBy: string | null;
  /** Tells one opening of the dialog from the next: each starts with empty answers. */
  serial: number;
}

interface BulkActionDialogProps {
  org: Org;
  request: BulkRequest | null;
  progress: BatchProgress | null;
  emailOf: (id: string) => string | null;
  run: (options: BulkOptions) => void;
  close: () => void;
}

/**
 * The dialog of an action on members: names the count, asks what the action needs, then runs it in batches with
 * a progress bar, and lists the members it failed for.
 */
export function BulkActionDialog(props: BulkActionDialogProps) {
  return props.request && <OpenDialog key={props.request.serial} {...props} request={props.request} />;
}

function OpenDialog(props: BulkActionDialogProps & { request: BulkRequest }) {
  const { org, request, progress } = props;
  const [options, setOptions] = useState(NO_OPTIONS);
  const set = (changes: Partial<BulkOptions>) => setOptions((o) => ({ ...o, ...changes }));
  // A running action finishes first: its progress and failures are the point of the dialog.
  const close = () => !progress?.running && props.close();
  const a = BULK_ACTIONS[request.kind];
  const whom = request.who ?? membersCount(request.ids.length);
  const missing = (a.asks === 'group' && !options.groupId) || (a.asks === 'role' && !options.role);
  const finished = progress && !progress.running;
  return (
    <Modal opened onClose={close} title={a.title(whom)} centered closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="sm">
        <Text size="sm">{a.consequence(whom, request.ids.length === 1 && !!request.who)}</Text>
        {request.managedBy && a.asks !== 'group' && (
          <Alert color="yellow" title={`Managed by ${request.managedBy}`}>
            {request.managedBy} may undo this at its next sync.
          </Alert>
        )}
        {a.asks === 'revoke' && <RevokeFields options={options} set={set} managedBy={request.managedBy} />}
        {a.asks === 'group' && <GroupField org={org} options={options} set={set} />}
        {a.asks === 'role' && <RoleField org={org} options={options} set={set} />}
        {progress && (
          <Progress
            value={(100 * progress.done) / Math.max(progress.total, 1)}
            aria-label={`${progress.done} of ${progress.total} members handled`}
          />
        )}
        {progress && (
          <Text size="sm" role="status">
            {progress.done} of {progress.total} members handled
            {progress.failures.length ? `, ${progress.failures.length} failed` : ''}
          </Text>
        )}
        {finished && <BulkFailures orgId={org.id} failures={progress.failures} emailOf={props.emailOf} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={progress?.running} data-autofocus>
            {finished ? 'Close' : 'Cancel'}
          </Button>
          {!finished && (
            <Button
              color={a.danger ? 'red.9' : undefined}
              loading={progress?.running}
              disabled={missing}
              onClick={() => props.run(options)}
            >
              {a.label} ({request.ids.length})
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}

import { Alert, Button, Group, List, Modal, Select, Stack, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { roleLabel } from '../../format';
import { graphql } from '../../gql';
import type { MemberRole, MembersInviteMutation } from '../../gql/graphql';
import { ActionButton } from '../../ui/ActionButton';
import { DiscardPrompt } from '../../ui/DiscardPrompt';
import { useUnsavedChanges } from '../../ui/UnsavedChanges';
import type { Org } from '../../shell/OrgScope';
import { FormErrors, fieldError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { InviteGroupsField } from './BulkFields';

export const MEMBERS_INVITE = graphql(`
  mutation MembersInvite($input: MembersInviteInput!) {
    membersInvite(input: $input) {
      results {
        email
        member {
          id
          status
        }
        userErrors {
          ...UserErrorFields
        }
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

/** Addresses as typed: one per line, or separated by commas, semicolons or spaces. */
const parseEmails = (text: string): string[] => [
  ...new Set(
    text
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

/** "Invite member": several addresses with one role; each address's failure is shown next to it. */
export function InviteMembers({
  org,
  deniedReason,
  onInvited,
}: {
  org: Org;
  deniedReason: string | null;
  onInvited: () => void;
}) {
  const [opened, setOpened] = useState(false);
  const [text, setText] = useState('');
  const [role, setRole] = useState<string>('USER');
  const [localError, setLocalError] = useState<string | null>(null);
  const invite = useMutationAction();
  // Each address's outcome: invited, or why not (the request's own errors are in invite.errors).
  const [payload, setPayload] = useState<MembersInviteMutation['membersInvite'] | null>(null);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  // The roles the server would let the viewer give (a custom role's flags are set on the member afterwards).
  const roles = org.viewerPermissions.roleOptions
    .filter((o) => o.role !== 'CUSTOM')
    .map((o) => ({
      value: o.role,
      label: o.allowed ? roleLabel(o.role) : `${roleLabel(o.role)} (${o.reason ?? 'not allowed'})`,
      disabled: !o.allowed,
    }));

  // Typed addresses are not thrown away by a stray Escape, a click outside or leaving the page: it asks first.
  const unsaved = useUnsavedChanges(opened && text.trim() ? 'the addresses you typed' : null);
  const close = () => {
    setOpened(false);
    setText('');
    setGroupIds([]);
    setLocalError(null);
    setPayload(null);
    invite.reset();
  };
  const requestClose = () => unsaved.guard(close);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const emails = parseEmails(text);
    if (!emails.length) return setLocalError('Enter at least one e-mail address.');
    if (emails.length > 100) return setLocalError('At most 100 addresses at once.');
    setLocalError(null);
    const input = { organizationId: org.id, emails, role: role as MemberRole, groupIds };
    const outcome = await invite.run(MEMBERS_INVITE, { input }, (d) => d.membersInvite);
    setPayload(outcome.payload);
    const results = outcome.payload?.results ?? [];
    if (results.some((x) => x.member)) onInvited();
    const failed = results.filter((x) => x.userErrors.length).map((x) => x.email);
    if (results.length && !failed.length && outcome.ok) close();
    else setText(failed.join('\n'));
  };

  const failures = payload?.results.filter((x) => x.userErrors.length) ?? [];
  const invited = payload?.results.filter((x) => x.member && !x.userErrors.length) ?? [];
  return (
    <>
      <ActionButton deniedReason={deniedReason} onClick={() => setOpened(true)}>
        Invite member
      </ActionButton>
      <Modal
        opened={opened}
        onClose={requestClose}
        title="Invite members"
        centered
        size="lg"
        closeButtonProps={{ 'aria-label': 'Close' }}
      >
        {unsaved.asking && (
          <DiscardPrompt what="the addresses you typed" onKeep={unsaved.keep} onDiscard={unsaved.discard} />
        )}
        <form onSubmit={submit} noValidate hidden={unsaved.asking}>
          <Stack>
            <Textarea
              label="Email addresses"
              description="One per line, or separated by commas. Each address gets an invitation e-mail."
              autosize
              minRows={3}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              error={
                localError ??
                (failures.length
                  ? `${failures.length} address${failures.length === 1 ? ' was' : 'es were'} not invited (see below).`
                  : fieldError(invite.errors, 'emails'))
              }
              data-autofocus
            />
            <Select
              label="Role"
              data={roles}
              value={role}
              onChange={(v) => setRole(v ?? 'USER')}
              allowDeselect={false}
            />
            <InviteGroupsField org={org} value={groupIds} onChange={setGroupIds} />
            {invited.length > 0 && (
              <Alert color="green" role="status">
                Invited: {invited.map((x) => x.email).join(', ')}
              </Alert>
            )}
            {failures.length > 0 && (
              <Alert color="red" role="alert" title="Not invited">
                <List size="sm">
                  {failures.map((f) => (
                    <List.Item key={f.email}>
                      {f.email}: {f.userErrors.map((u) => u.message).join(' ')}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            <FormErrors errors={invite.errors} except={['emails']} />
            <Group justify="flex-end">
              <Button variant="default" onClick={requestClose}>
                Cancel
              </Button>
              <Button type="submit" loading={invite.loading}>
                Send invitations
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

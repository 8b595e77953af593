import { Alert, Button, Center, List, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { client } from '../apollo';
import { type InvitationAccepted, type InvitationInfo, authRequest } from '../auth';
import { PublicFrame } from '../components/PublicFrame';
import { formatDateTime, roleLabel } from '../format';

const ENDED: Record<string, { title: string; message: string }> = {
  EXPIRED: {
    title: 'Invitation expired',
    message: 'This invitation has expired. Ask an administrator of the organization to send it again.',
  },
  USED: {
    title: 'Invitation already accepted',
    message: 'This invitation was already accepted. Sign in to see your organizations.',
  },
  REVOKED: {
    title: 'Invitation withdrawn',
    message: 'This invitation was withdrawn by the organization. Ask an administrator if you think this is a mistake.',
  },
  INVALID: {
    title: 'Invitation not found',
    message: 'This invitation link is not valid. Check that you opened the whole link from the e-mail.',
  },
};
const ACCEPT_ERRORS: Record<string, InvitationInfo['status']> = {
  INVITATION_EXPIRED: 'EXPIRED',
  INVITATION_USED: 'USED',
  INVITATION_REVOKED: 'REVOKED',
  INVITATION_INVALID: 'INVALID',
};

/**
 * `/invitations/accept?token=…`, the link of every invitation e-mail. Holding the token proves control of the
 * address, so accepting also signs the invitee in. An administrator confirms the membership afterwards.
 */
export function InvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<InvitationAccepted | null>(null);
  const [acceptError, setAcceptError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token)
      return setInfo({
        status: 'INVALID',
        organizationName: null,
        invitedBy: null,
        email: null,
        role: null,
        expiresAt: null,
      });
    void authRequest<InvitationInfo>('/auth/invitation', { token }).then((r) =>
      r.ok ? setInfo(r.data) : setLoadError(r.error.message),
    );
  }, [token]);

  const accept = async () => {
    setBusy(true);
    setAcceptError(null);
    const r = await authRequest<InvitationAccepted>('/auth/invitation/accept', { token });
    setBusy(false);
    if (r.ok) {
      await client.clearStore();
      return setAccepted(r.data);
    }
    const ended = ACCEPT_ERRORS[r.error.code];
    if (ended) setInfo((i) => ({ ...(i as InvitationInfo), status: ended }));
    else setAcceptError(r.error.message);
  };

  if (loadError) {
    return (
      <PublicFrame title="Invitation unavailable">
        <Alert color="red" role="alert">
          {loadError}
        </Alert>
      </PublicFrame>
    );
  }
  if (!info) {
    return (
      <PublicFrame title="Invitation">
        <Center>
          <Loader aria-label="Loading the invitation" />
        </Center>
      </PublicFrame>
    );
  }
  if (accepted) {
    return (
      <PublicFrame title="Invitation accepted">
        <Text>
          You joined <strong>{accepted.organizationName}</strong>. Your membership now waits for an administrator's
          confirmation; until then the organization's data stays closed to you.
        </Text>
        <Button component={Link} to="/">
          Go to the console
        </Button>
      </PublicFrame>
    );
  }
  if (info.status !== 'VALID') {
    const ended = ENDED[info.status] ?? ENDED.INVALID;
    return (
      <PublicFrame title={ended.title}>
        <Text>{ended.message}</Text>
        <Button component={Link} to="/sign-in" variant="light">
          Go to sign-in
        </Button>
      </PublicFrame>
    );
  }
  return (
    <PublicFrame title={`Join ${info.organizationName ?? 'the organization'}`}>
      <Text>
        {info.invitedBy ? <strong>{info.invitedBy}</strong> : 'An administrator'} invited you to{' '}
        <strong>{info.organizationName}</strong>.
      </Text>
      <List size="sm" spacing={4}>
        {info.email && <List.Item>Invited address: {info.email}</List.Item>}
        {info.role && <List.Item>Role: {roleLabel(info.role)}</List.Item>}
        {info.expiresAt && <List.Item>Expires: {formatDateTime(info.expiresAt)}</List.Item>}
      </List>
      <Text size="sm" c="dimmed">
        Accepting signs you in as {info.email ?? 'the invited address'}. An administrator then confirms your membership.
      </Text>
      {acceptError && (
        <Alert color="red" role="alert">
          {acceptError}
        </Alert>
      )}
      <Button onClick={() => void accept()} loading={busy}>
        Accept invitation
      </Button>
    </PublicFrame>
  );
}

import { Alert, Button, Center, List, Loader, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { client } from '../../apollo';
import { type InvitationAccepted, type InvitationInfo, authRequest, sameAddress } from '../../auth';
import { PublicFrame } from '../../ui/PublicFrame';
import { formatDateTime, roleLabel } from '../../format';

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
 * mailbox, not of an account: for a new address accepting creates the account and signs it in; an address that
 * already has an account signs in first (and comes back here). Another account signed in in this browser is never
 * switched silently: the page says whose session it is and offers to sign out first. An administrator confirms
 * the membership afterwards.
 */
export function InvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [info, setInfo] = useState<InvitationInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [accepted, setAccepted] = useState<InvitationAccepted | null>(null);
  const [acceptError, setAcceptError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    if (!token)
      return setInfo({
        status: 'INVALID',
        organizationName: null,
        invitedBy: null,
        email: null,
        role: null,
        expiresAt: null,
        accountExists: false,
        signedInAs: null,
      });
    const r = await authRequest<InvitationInfo>('/auth/invitation', { token });
    if (r.ok) setInfo(r.data);
    else setLoadError(r.error.message);
  }, [token]);

  useEffect(() => {
    void load();
  }, [load]);

  const signOutAndContinue = async () => {
    setBusy(true);
    setAcceptError(null);
    await authRequest('/auth/sign-out');
    await client.clearStore();
    await load();
    setBusy(false);
  };

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
    else if (r.error.code === 'SIGN_IN_REQUIRED' || r.error.code === 'EMAIL_MISMATCH') await load();
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
    <InvitationOffer
      info={info}
      token={token}
      busy={busy}
      acceptError={acceptError}
      onAccept={() => void accept()}
      onSignOut={() => void signOutAndContinue()}
    />
  );
}

/** A valid invitation: who invited whom to what, and the one next step this browser's session allows. */
function InvitationOffer({
  info,
  token,
  busy,
  acceptError,
  onAccept,
  onSignOut,
}: {
  info: InvitationInfo;
  token: string;
  busy: boolean;
  acceptError: string | null;
  onAccept: () => void;
  onSignOut: () => void;
}) {
  const invited = info.email ?? 'the invited address';
  const otherAccount = info.signedInAs !== null && !(info.email && sameAddress(info.signedInAs, info.email));
  const mustSignIn = !otherAccount && info.signedInAs === null && info.accountExists;
  const signInPath = `/sign-in?${new URLSearchParams({
    returnTo: `/invitations/accept?token=${encodeURIComponent(token)}`,
    ...(info.email ? { email: info.email } : {}),
  }).toString()}`;
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
      {acceptError && (
        <Alert color="red" role="alert">
          {acceptError}
        </Alert>
      )}
      {otherAccount ? (
        <>
          <Alert color="yellow" title="Signed in as someone else" role="status">
            You are signed in as <strong>{info.signedInAs}</strong>; this invitation is for <strong>{invited}</strong>.
          </Alert>
          <Button onClick={onSignOut} loading={busy}>
            Sign out and continue
          </Button>
        </>
      ) : mustSignIn ? (
        <>
          <Text>
            {invited} already has an account. Sign in as <strong>{invited}</strong> to accept the invitation; you come
            back here afterwards.
          </Text>
          <Button component={Link} to={signInPath}>
            Sign in as {invited}
          </Button>
        </>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {info.signedInAs
              ? `You are signed in as ${info.signedInAs}; accepting adds this organization to your account.`
              : `Accepting creates the account of ${invited} and signs you in.`}{' '}
            An administrator then confirms your membership.
          </Text>
          <Button onClick={onAccept} loading={busy}>
            Accept invitation
          </Button>
        </>
      )}
    </PublicFrame>
  );
}

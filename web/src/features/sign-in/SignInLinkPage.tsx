import { Alert, Button, Center, Loader, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { client } from '../../apollo';
import { type EmailLinkPreview, type SignedInUser, authRequest, safeReturnTo } from '../../auth';
import { PublicFrame } from '../../ui/PublicFrame';

const INVALID_LINK = 'This sign-in link is invalid, already used or expired (links work once, within 15 minutes).';

/**
 * The page an e-mail sign-in link opens. It names the account the link signs into (masked) and, when another
 * account is signed in in this browser, says so and offers to sign out first. Signing in takes a click: mail
 * scanners that fetch links must not use up the single-use token.
 */
export function SignInLinkPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const returnTo = safeReturnTo(params.get('returnTo'));
  const navigate = useNavigate();
  const [failed, setFailed] = useState<string | null>(token ? null : 'This link has no sign-in token.');
  const [preview, setPreview] = useState<EmailLinkPreview | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!token) return;
    void authRequest<EmailLinkPreview>('/auth/email-link/preview', { token }).then((r) => {
      if (r.ok) setPreview(r.data);
      else setFailed(r.error.code === 'INVALID_LINK' ? INVALID_LINK : r.error.message);
    });
  }, [token]);

  const verify = async (signOutFirst: boolean) => {
    setBusy(true);
    if (signOutFirst) await authRequest('/auth/sign-out');
    const r = await authRequest<SignedInUser>('/auth/email-link/verify', { token });
    setBusy(false);
    if (!r.ok) return setFailed(r.error.code === 'INVALID_LINK' ? INVALID_LINK : r.error.message);
    await client.clearStore();
    navigate(returnTo, { replace: true });
  };

  if (failed) {
    return (
      <PublicFrame title="Sign-in link not valid">
        <Alert color="red" role="alert">
          {failed}
        </Alert>
        <Button component={Link} to="/sign-in">
          Request a new link
        </Button>
      </PublicFrame>
    );
  }
  if (!preview) {
    return (
      <PublicFrame title="Sign in with your link">
        <Center>
          <Loader aria-label="Checking the link" />
        </Center>
      </PublicFrame>
    );
  }
  const someoneElse = preview.signedInAs !== null && !preview.sameAccount;
  return (
    <PublicFrame title="Sign in with your link">
      <Text>
        This link signs you in as <strong>{preview.email}</strong>.
      </Text>
      {someoneElse ? (
        <>
          <Alert color="yellow" title="Signed in as someone else" role="status">
            You are signed in as <strong>{preview.signedInAs}</strong>; this link is for{' '}
            <strong>{preview.email}</strong>.
          </Alert>
          <Button onClick={() => void verify(true)} loading={busy}>
            Sign out and continue
          </Button>
        </>
      ) : (
        <Button onClick={() => void verify(false)} loading={busy}>
          Sign in
        </Button>
      )}
    </PublicFrame>
  );
}

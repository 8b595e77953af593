import { Alert, Button, Text } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { client } from '../apollo';
import { type SignedInUser, authRequest } from '../auth';
import { PublicFrame } from '../components/PublicFrame';

/**
 * The page an e-mail sign-in link opens. Signing in takes a click: mail scanners that fetch links must not
 * use up the single-use token.
 */
export function SignInLinkPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [failed, setFailed] = useState<string | null>(token ? null : 'This link has no sign-in token.');
  const [busy, setBusy] = useState(false);

  const verify = async () => {
    setBusy(true);
    const r = await authRequest<SignedInUser>('/auth/email-link/verify', { token });
    setBusy(false);
    if (!r.ok)
      return setFailed(
        r.error.code === 'INVALID_LINK'
          ? 'This sign-in link is invalid, already used or expired (links work once, within 15 minutes).'
          : r.error.message,
      );
    await client.clearStore();
    navigate('/', { replace: true });
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
  return (
    <PublicFrame title="Sign in with your link">
      <Text>Continue to the console with the link from your e-mail.</Text>
      <Button onClick={() => void verify()} loading={busy}>
        Sign in
      </Button>
    </PublicFrame>
  );
}

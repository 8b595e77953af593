import { Alert, Button, Divider, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { client } from '../../apollo';
import { type SignInMethods, type SignedInUser, authRequest, safeReturnTo } from '../../auth';
import { PublicFrame } from '../../ui/PublicFrame';

const OIDC_ERRORS: Record<string, string> = {
  OIDC_DENIED: 'Sign-in was cancelled at the identity provider.',
  OIDC_FORBIDDEN:
    'The identity provider did not vouch for this address (unverified e-mail), or the account is bound to another identity.',
  OIDC_STATE_MISMATCH: 'The sign-in could not be matched to this browser. Start again.',
  OIDC_FAILED: 'The identity provider refused the sign-in. Start again.',
  OIDC_UNAVAILABLE: 'The identity provider could not be reached. Try again later.',
  OIDC_NOT_CONFIGURED: 'Single sign-on is not configured on this server.',
  SERVICE_UNAVAILABLE: 'The service is unavailable. Try again later.',
  RATE_LIMITED: 'Too many failed sign-ins from this network. Wait a minute, then start again.',
};

/**
 * Sign in by e-mail link, pasted access token, or single sign-on (OIDC) when the server offers it. `returnTo` (a
 * path of the console) is where each method comes back to, the e-mail link included; `email` fills the address in
 * (the invitation page sends the invited one).
 */
export function SignInPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const returnTo = safeReturnTo(params.get('returnTo'));
  const callbackError = params.get('error');
  const [methods, setMethods] = useState<SignInMethods | null>(null);

  const [email, setEmail] = useState(params.get('email') ?? '');
  const [emailError, setEmailError] = useState<string | null>(null);
  const [emailSent, setEmailSent] = useState(false);
  const [sending, setSending] = useState(false);

  const [token, setToken] = useState('');
  const [tokenError, setTokenError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);

  useEffect(() => {
    void authRequest<SignInMethods>('/auth/methods', undefined, 'GET').then((r) =>
      setMethods(r.ok ? r.data : { emailLink: true, accessToken: true, oidc: false }),
    );
  }, []);

  const sendLink = async (e: FormEvent) => {
    e.preventDefault();
    setEmailError(null);
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim()))
      return setEmailError('Enter an e-mail address, such as ada@example.com.');
    setSending(true);
    const r = await authRequest('/auth/email-link', { email: email.trim(), returnTo });
    setSending(false);
    if (r.ok) setEmailSent(true);
    else setEmailError(r.error.message);
  };

  const signInWithToken = async (e: FormEvent) => {
    e.preventDefault();
    setTokenError(null);
    if (!token.trim()) return setTokenError('Paste an access token (orgctl token create).');
    setSigningIn(true);
    const r = await authRequest<SignedInUser>('/auth/token', { token: token.trim() });
    setSigningIn(false);
    if (!r.ok)
      return setTokenError(
        r.error.code === 'INVALID_TOKEN'
          ? 'This access token is not valid: it may be mistyped, expired or revoked.'
          : r.error.message,
      );
    await client.clearStore();
    navigate(returnTo, { replace: true });
  };

  return (
    <PublicFrame title="Sign in">
      {returnTo.startsWith('/invitations/') && (
        <Text>Sign in as the invited address; you come back to the invitation to accept it.</Text>
      )}
      {callbackError && (
        <Alert color="red" title="Single sign-on failed" role="alert">
          {OIDC_ERRORS[callbackError] ?? `Sign-in did not complete (${callbackError}).`}
        </Alert>
      )}
      {methods?.oidc && (
        <>
          <Button
            component="a"
            href={`/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`}
            variant="filled"
            fullWidth
          >
            Sign in with single sign-on
          </Button>
          <Divider label="or" labelPosition="center" />
        </>
      )}
      {methods?.emailLink !== false && (
        <form onSubmit={sendLink} noValidate aria-label="Sign in with an e-mail link">
          <Stack gap="xs">
            {emailSent ? (
              <Alert color="green" title="Check your inbox" role="status">
                If {email.trim()} has an account, a sign-in link is on its way. It works once, within 15 minutes.
              </Alert>
            ) : (
              <>
                <TextInput
                  label="Email"
                  type="email"
                  autoComplete="email"
                  value={email}
                  onChange={(e) => setEmail(e.currentTarget.value)}
                  error={emailError}
                />
                <Button type="submit" variant="light" loading={sending}>
                  Email me a sign-in link
                </Button>
              </>
            )}
          </Stack>
        </form>
      )}
      {methods?.accessToken !== false && (
        <>
          <Divider label="or with an access token" labelPosition="center" />
          <form onSubmit={signInWithToken} noValidate aria-label="Sign in with an access token">
            <Stack gap="xs">
              <PasswordInput
                label="Access token"
                autoComplete="off"
                value={token}
                onChange={(e) => setToken(e.currentTarget.value)}
                error={tokenError}
                description="Made by orgctl token create, or on your Account page."
              />
              <Button type="submit" loading={signingIn}>
                Sign in
              </Button>
            </Stack>
          </form>
        </>
      )}
      <Text size="xs" c="dimmed">
        Invited to an organization? Open the link in your invitation e-mail.
      </Text>
    </PublicFrame>
  );
}

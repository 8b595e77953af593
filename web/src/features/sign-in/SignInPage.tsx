import { Alert, Button, Divider, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { SESSION_ENDED, type SignInMethods, authRequest, safeReturnTo } from '../../auth';
import { PublicFrame } from '../../ui/PublicFrame';
import { AccessTokenForm } from './AccessTokenForm';
import { EmailLinkForm } from './EmailLinkForm';

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
  const returnTo = safeReturnTo(params.get('returnTo'));
  const callbackError = params.get('error');
  const [methods, setMethods] = useState<SignInMethods | null>(null);

  useEffect(() => {
    void authRequest<SignInMethods>('/auth/methods', undefined, 'GET').then((r) =>
      setMethods(r.ok ? r.data : { emailLink: true, accessToken: true, oidc: false }),
    );
  }, []);

  return (
    <PublicFrame title="Sign in">
      {params.get('reason') === SESSION_ENDED && (
        <Alert color="yellow" title="Your session ended" role="status">
          Sign in again: you come back to the page you were on.
        </Alert>
      )}
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
      {methods?.emailLink !== false && <EmailLinkForm initialEmail={params.get('email') ?? ''} returnTo={returnTo} />}
      {methods?.accessToken !== false && (
        <>
          <Divider label="or with an access token" labelPosition="center" />
          <AccessTokenForm returnTo={returnTo} />
        </>
      )}
      <Text size="xs" c="dimmed">
        Invited to an organization? Open the link in your invitation e-mail.
      </Text>
    </PublicFrame>
  );
}

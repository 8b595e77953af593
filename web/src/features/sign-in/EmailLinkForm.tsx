import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { authRequest } from '../../auth';

/** "Email me a sign-in link": the link comes back to `returnTo`. */
export function EmailLinkForm({ initialEmail, returnTo }: { initialEmail: string; returnTo: string }) {
  const [email, setEmail] = useState(initialEmail);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [emailSent, setEmailSent] = useState(false);
  const [sending, setSending] = useState(false);

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

  return (
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
  );
}

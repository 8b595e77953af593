import { Button, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { client } from '../../apollo';
import { type SignedInUser, authRequest } from '../../auth';

/** Sign in with a pasted access token, then go to `returnTo`. */
export function AccessTokenForm({ returnTo }: { returnTo: string }) {
  const navigate = useNavigate();
  const [token, setToken] = useState('');
  const [tokenError, setTokenError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);

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
  );
}

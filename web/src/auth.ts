/** The sign-in endpoints (JSON in, JSON out). Errors come as `{"error":{"code","message"}}` with a 4xx. */
export interface AuthError {
  code: string;
  message: string;
}

export type AuthResult<T> = { ok: true; data: T } | { ok: false; status: number; error: AuthError };

export async function authRequest<T>(path: string, body?: unknown, method = 'POST'): Promise<AuthResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        method === 'POST'
          ? { 'Content-Type': 'application/json', Accept: 'application/json' }
          : { Accept: 'application/json' },
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: 'NETWORK', message: 'The server could not be reached. Check your connection and try again.' },
    };
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = null;
  }
  if (res.ok) return { ok: true, data: (json ?? {}) as T };
  const error = (json as { error?: AuthError } | null)?.error;
  return {
    ok: false,
    status: res.status,
    error: error ?? { code: `HTTP_${res.status}`, message: `The server answered ${res.status}.` },
  };
}

export interface SignInMethods {
  emailLink: boolean;
  accessToken: boolean;
  oidc: boolean;
}

export interface SignedInUser {
  user: { id: string; email: string };
}

export interface InvitationInfo {
  status: 'VALID' | 'EXPIRED' | 'USED' | 'REVOKED' | 'INVALID';
  organizationName: string | null;
  invitedBy: string | null;
  email: string | null;
  role: string | null;
  expiresAt: string | null;
  /** The invited address already has an account: its owner signs in as that address, then accepts. */
  accountExists: boolean;
  /** The account this browser is signed in as, if any. */
  signedInAs: string | null;
}

/** What an e-mail sign-in link signs into (masked), and who is signed in now. */
export interface EmailLinkPreview {
  email: string;
  signedInAs: string | null;
  sameAccount: boolean;
}

/** Whether two addresses are the same account's (accounts compare addresses case-insensitively). */
export const sameAddress = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

export interface InvitationAccepted {
  organizationId: string;
  organizationName: string;
  memberId: string;
  status: 'ACCEPTED';
}

/** A path inside the console to return to after signing in (never another origin). */
export function safeReturnTo(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

/** The `reason` of a sign-in URL the console sends someone to when their session ended under them. */
export const SESSION_ENDED = 'session-ended';

/** Where to sign in again and come back to `returnTo` (a path of the console). */
export function signInPath(returnTo: string, reason?: string): string {
  const params = new URLSearchParams({ returnTo, ...(reason ? { reason } : {}) });
  return `/sign-in?${params.toString()}`;
}

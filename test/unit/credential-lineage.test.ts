import {
  CredentialOrigin,
  cappedExpiry,
  expiryWasCapped,
  originLabel,
  signInOrigin,
} from '../../src/domain/credential-lineage';
import { SESSION_IDLE_MS, SignInMethod, sessionExpiresAt, sessionHardEnd } from '../../src/domain/session-rules';

const at = (iso: string) => new Date(iso);

describe('credential lineage rules', () => {
  it('cap a child at its parent: the earlier of the two, "never" becoming the parent end', () => {
    const parent = at('2030-01-02T00:00:00Z');
    expect(cappedExpiry(null, null)).toBeNull();
    expect(cappedExpiry(at('2031-01-01T00:00:00Z'), null)).toEqual(at('2031-01-01T00:00:00Z'));
    expect(cappedExpiry(null, parent)).toEqual(parent);
    expect(cappedExpiry(at('2031-01-01T00:00:00Z'), parent)).toEqual(parent);
    expect(cappedExpiry(at('2030-01-01T00:00:00Z'), parent)).toEqual(at('2030-01-01T00:00:00Z'));
    expect(expiryWasCapped(null, parent)).toBe(true);
    expect(expiryWasCapped(at('2031-01-01T00:00:00Z'), parent)).toBe(true);
    expect(expiryWasCapped(parent, parent)).toBe(false);
    expect(expiryWasCapped(null, null)).toBe(false);
  });

  it("end a session at its parent's cap when that comes before the idle and absolute limits", () => {
    const createdAt = at('2030-01-01T00:00:00Z');
    const session = { createdAt, lastSeenAt: createdAt, expiresAt: null };
    expect(sessionExpiresAt(session)).toEqual(new Date(createdAt.getTime() + SESSION_IDLE_MS));
    const cap = at('2030-01-01T01:00:00Z');
    expect(sessionExpiresAt({ ...session, expiresAt: cap })).toEqual(cap);
    expect(sessionHardEnd({ createdAt, expiresAt: cap })).toEqual(cap);
    expect(sessionHardEnd({ createdAt, expiresAt: null })).toEqual(at('2030-01-08T00:00:00Z'));
  });

  it.each([
    [CredentialOrigin.CLI, null, 'orgctl'],
    [CredentialOrigin.OIDC, null, 'Single sign-on'],
    [CredentialOrigin.EMAIL_LINK, null, 'E-mail link'],
    [CredentialOrigin.INVITATION, null, 'Invitation'],
    [CredentialOrigin.SESSION, { userAgent: 'Firefox/140' }, 'Session (Firefox/140)'],
    [CredentialOrigin.SESSION, { userAgent: 'x'.repeat(200) }, `Session (${'x'.repeat(47)}…)`],
    [CredentialOrigin.SESSION, null, 'Session (ended)'],
    [CredentialOrigin.ACCESS_TOKEN, { name: null, hint: '…abcdef' }, 'Access token …abcdef'],
    [CredentialOrigin.ACCESS_TOKEN, { name: 'ci', hint: '…abcdef' }, 'Access token ci (…abcdef)'],
    [null, null, 'Not recorded'],
  ])('label %s (%j) as %j', (origin, parent, label) => {
    expect(originLabel(origin, parent)).toBe(label);
  });

  it.each(Object.values(SignInMethod))('map the sign-in method %s to the origin of the same value', (method) => {
    expect(signInOrigin(method)).toBe(method);
  });
});

import { ScimKeyStatus } from '../../src/domain/scim-key-rules';
import {
  CREDENTIAL_TTL_MS,
  CredentialCache,
  type ScimKeyCheck,
  type ScimKeyPrincipal,
  type TokenPrincipal,
} from '../../src/services/credential-cache';

const ORG = '0b9c6f2e-8d1a-4c3b-9e7f-1a2b3c4d5e6f';
const principal: ScimKeyPrincipal = {
  keyId: 'k1',
  provider: 'okta',
  hint: '…abcdef',
  status: ScimKeyStatus.CURRENT,
  validUntil: null,
};

/** A lookup that counts its calls and answers `answer()` (the database's current truth). */
function counted<T>(answer: () => T) {
  const lookup = async () => answer();
  let calls = 0;
  return {
    lookup: () => {
      calls++;
      return lookup();
    },
    calls: () => calls,
  };
}

describe('CredentialCache', () => {
  it('answers a verified SCIM key from memory, but never a different key, and forgets it on a change', async () => {
    const cache = new CredentialCache(true);
    let truth: ScimKeyCheck = principal;
    const db = counted(() => truth);
    expect(await cache.scimKey(ORG, 'scim_right', db.lookup)).toEqual(principal);
    expect(await cache.scimKey(ORG.toUpperCase(), 'scim_right', db.lookup)).toEqual(principal);
    expect(db.calls()).toBe(1);
    truth = 'rejected';
    expect(await cache.scimKey(ORG, 'scim_wrong', db.lookup)).toBe('rejected');
    expect(await cache.scimKey(ORG, 'scim_wrong', db.lookup)).toBe('rejected');
    expect(db.calls()).toBe(3); // refusals are not remembered
    cache.invalidate({ kind: 'scim', organizationId: ORG });
    expect(await cache.scimKey(ORG, 'scim_right', db.lookup)).toBe('rejected');
  });

  it('does not store a lookup that was in flight when a change happened', async () => {
    const cache = new CredentialCache(true);
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    // The lookup read the old key before the rotation committed, and answers after it was announced.
    const stale = cache.scimKey(ORG, 'scim_old', async () => {
      await slow;
      return principal;
    });
    cache.invalidate({ kind: 'scim', organizationId: ORG });
    release();
    expect(await stale).toEqual(principal);
    const db = counted((): ScimKeyCheck => 'rejected');
    expect(await cache.scimKey(ORG, 'scim_old', db.lookup)).toBe('rejected');
    expect(db.calls()).toBe(1);
  });

  it('neither reads nor fills while changes made elsewhere go unheard', async () => {
    const cache = new CredentialCache(false);
    const db = counted((): ScimKeyCheck => principal);
    await cache.scimKey(ORG, 'scim_right', db.lookup);
    await cache.scimKey(ORG, 'scim_right', db.lookup);
    expect(db.calls()).toBe(2);
    cache.setListening(true);
    await cache.scimKey(ORG, 'scim_right', db.lookup);
    await cache.scimKey(ORG, 'scim_right', db.lookup);
    expect(db.calls()).toBe(3);
    cache.setListening(false);
    await cache.scimKey(ORG, 'scim_right', db.lookup);
    expect(db.calls()).toBe(4);
  });

  it("remembers both keys of a rotation's overlap, and the previous one no longer than its overlap lasts", async () => {
    const cache = new CredentialCache(true);
    const previous: ScimKeyPrincipal = {
      ...principal,
      keyId: 'k0',
      status: ScimKeyStatus.PREVIOUS,
      validUntil: new Date(Date.now() + 150),
    };
    const current = counted((): ScimKeyCheck => principal);
    const old = counted((): ScimKeyCheck => previous);
    for (let i = 0; i < 3; i++) {
      expect(await cache.scimKey(ORG, 'scim_new', current.lookup)).toEqual(principal);
      expect(await cache.scimKey(ORG, 'scim_old', old.lookup)).toEqual(previous);
    }
    // The identity provider and a script alternate between the two keys: neither pushes the other out.
    expect([current.calls(), old.calls()]).toEqual([1, 1]);
    expect(150).toBeLessThan(CREDENTIAL_TTL_MS);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ended = counted((): ScimKeyCheck => 'rejected');
    expect(await cache.scimKey(ORG, 'scim_old', ended.lookup)).toBe('rejected');
    expect(ended.calls()).toBe(1);
    expect(await cache.scimKey(ORG, 'scim_new', current.lookup)).toEqual(principal);
    expect(current.calls()).toBe(1);
    cache.invalidate({ kind: 'scim', organizationId: ORG });
    expect(await cache.scimKey(ORG, 'scim_new', current.lookup)).toEqual(principal);
    expect(current.calls()).toBe(2);
  });

  it('keeps an access token no longer than it lives, and forgets it when revoked', async () => {
    const cache = new CredentialCache(true);
    const token = (expiresAt: Date | null): TokenPrincipal => ({
      tokenId: 't1',
      userId: 'u1',
      email: 'a@b.c',
      expiresAt,
    });
    const soon = counted(() => token(new Date(Date.now() + 150)));
    expect(await cache.accessToken('orgd_soon', soon.lookup)).not.toBeNull();
    expect(await cache.accessToken('orgd_soon', soon.lookup)).not.toBeNull();
    expect(soon.calls()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const expired = counted((): TokenPrincipal | null => null);
    expect(await cache.accessToken('orgd_soon', expired.lookup)).toBeNull();

    const forever = counted(() => token(null));
    await cache.accessToken('orgd_forever', forever.lookup);
    await cache.accessToken('orgd_forever', forever.lookup);
    expect(forever.calls()).toBe(1);
    cache.invalidate({ kind: 'token', tokenId: 't1' });
    const revoked = counted((): TokenPrincipal | null => null);
    expect(await cache.accessToken('orgd_forever', revoked.lookup)).toBeNull();
    expect(revoked.calls()).toBe(1);
  });
});

import { DomainError, ErrorCode } from '../../src/domain/errors';
import { type OidcClaims, checkAuthorizedParty, oidcIdentity } from '../../src/domain/oidc';
import { OidcDiscoveryError, parseMetadata } from '../../src/services/oidc-discovery';

const ISS = 'https://idp.example.test';
const strict = { trustUnverifiedEmail: false };
const refusal = (claims: Record<string, unknown>, opts = strict) => {
  try {
    oidcIdentity({ iss: ISS, sub: 's-1', ...claims } as OidcClaims, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.UNAUTHENTICATED);
    return (err as DomainError).message;
  }
  throw new Error('expected a refusal');
};

describe('oidcIdentity', () => {
  it('reads the subject, the verified e-mail and a trimmed, bounded name', () => {
    expect(
      oidcIdentity(
        { iss: ISS, sub: 's-1', email: ' a@b.test ', email_verified: true, name: `  ${'n'.repeat(300)} ` },
        strict,
      ),
    ).toEqual({
      issuer: ISS,
      subject: 's-1',
      email: 'a@b.test',
      name: 'n'.repeat(200),
    });
    expect(
      oidcIdentity({ iss: ISS, sub: 's-1', email: 'a@b.test', email_verified: true, name: 42 }, strict).name,
    ).toBeNull();
  });

  it.each([
    [{ email: 'a@b.test' }, /verified/],
    [{ email: 'a@b.test', email_verified: 'true' }, /verified/],
    [{ email: 'a@b.test', email_verified: 1 }, /verified/],
    [{ email_verified: true }, /no email/],
    [{ email: ['a@b.test'], email_verified: true }, /no email/],
    [{ email: 'not-an-email', email_verified: true }, /no valid email/],
    [{ sub: '', email: 'a@b.test', email_verified: true }, /subject/],
    [{ sub: 42, email: 'a@b.test', email_verified: true }, /subject/],
    [{ sub: 's'.repeat(256), email: 'a@b.test', email_verified: true }, /subject/],
  ])('refuses %j', (claims, pattern) => {
    expect(refusal(claims)).toMatch(pattern);
  });

  it('takes an unverified e-mail only when the operator trusts the issuer, and still requires a valid one', () => {
    expect(oidcIdentity({ iss: ISS, sub: 's', email: 'a@b.test' }, { trustUnverifiedEmail: true }).email).toBe(
      'a@b.test',
    );
    expect(refusal({ email: 'nope' }, { trustUnverifiedEmail: true })).toMatch(/no valid email/);
  });
});

describe('parseMetadata (OpenID Connect Discovery)', () => {
  const doc = {
    issuer: ISS,
    jwks_uri: `${ISS}/keys`,
    authorization_endpoint: `${ISS}/auth`,
    token_endpoint: `${ISS}/token`,
  };

  it('keeps the issuer, the key set URL and the endpoints; tolerates a trailing slash on the issuer', () => {
    expect(parseMetadata(ISS, doc)).toEqual(doc);
    expect(
      parseMetadata(`${ISS}/`, { ...doc, authorization_endpoint: 'javascript:alert(1)', token_endpoint: 7 }),
    ).toEqual({ issuer: ISS, jwks_uri: `${ISS}/keys` });
  });

  it.each([
    ['not an object', 'oops'],
    ['another issuer', { ...doc, issuer: 'https://evil.example.test' }],
    ['no issuer', { jwks_uri: doc.jwks_uri }],
    ['no jwks_uri', { issuer: ISS }],
    ['a non-http jwks_uri', { ...doc, jwks_uri: 'file:///etc/passwd' }],
    ['a malformed jwks_uri', { ...doc, jwks_uri: 'not a url' }],
  ])('refuses %s', (_case, body) => {
    expect(() => parseMetadata(ISS, body)).toThrow(OidcDiscoveryError);
  });

  it.each(['jwks_uri', 'token_endpoint', 'authorization_endpoint'])(
    'refuses an https issuer whose %s is plain http, naming it',
    (field) => {
      const body = { ...doc, [field]: 'http://idp.example.test/x' };
      expect(() => parseMetadata(ISS, body)).toThrow(
        new OidcDiscoveryError(
          ISS,
          `the metadata's ${field} is not https (http://idp.example.test/x), but the issuer is`,
        ),
      );
    },
  );

  it('lets a plain-http issuer (a local test provider) publish http endpoints', () => {
    const local = 'http://127.0.0.1:8080';
    const body = { issuer: local, jwks_uri: `${local}/keys`, token_endpoint: `${local}/token` };
    expect(parseMetadata(local, body)).toEqual(body);
  });
});

describe('checkAuthorizedParty (OpenID Connect Core §3.1.3.7)', () => {
  const CLIENT = 'orgd-console';
  const check = (claims: Record<string, unknown>, idToken: boolean) => () =>
    checkAuthorizedParty(claims, CLIENT, { idToken });

  it.each([true, false])('needs azp = the client id when aud has several entries (ID token: %s)', (idToken) => {
    expect(check({ aud: [CLIENT, 'other-api'] }, idToken)).toThrow(/several audiences.*azp/);
    expect(check({ aud: [CLIENT, 'other-api'], azp: 'other-client' }, idToken)).toThrow(/another client/);
    expect(check({ aud: [CLIENT, 'other-api'], azp: CLIENT }, idToken)).not.toThrow();
    expect(check({ aud: CLIENT }, idToken)).not.toThrow();
    expect(check({ aud: [CLIENT] }, idToken)).not.toThrow();
  });

  it("refuses an ID token's azp naming another client even with one audience; an access token's may", () => {
    expect(check({ aud: CLIENT, azp: 'other-client' }, true)).toThrow(DomainError);
    expect(check({ aud: CLIENT, azp: 'other-client' }, false)).not.toThrow();
  });
});

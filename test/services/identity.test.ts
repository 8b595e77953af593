import { DomainError, ErrorCode } from '../../src/domain/errors';
import { AccountEvent, User } from '../../src/entities';
import { type TestContext, createTestContext, engineName } from '../helpers/db';
import { unique } from '../helpers/factories';

const ISSUER = 'https://idp.example.test';

// services.identity.userForOidcClaims is the one binding rule, for the bearer-JWT path and the browser sign-in alike.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: 'orgd' });
});
afterAll(() => ctx?.close());

async function refusal(
  claims: Parameters<TestContext['services']['identity']['userForOidcClaims']>[0],
): Promise<DomainError> {
  const err = await ctx.services.identity.userForOidcClaims(claims).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe(`services.identity.userForOidcClaims (${engineName()})`, () => {
  it('binds, then finds by subject; records the link once with the request id', async () => {
    const email = `svc-${unique()}@example.test`;
    const sub = `sub-${unique()}`;
    const user = await ctx.services.identity.userForOidcClaims(
      { iss: ISSUER, sub, email, email_verified: true, name: 'Sam' },
      'req-1',
    );
    const again = await ctx.services.identity.userForOidcClaims({
      iss: `${ISSUER}/`,
      sub,
      email: `new-${email}`,
      email_verified: true,
    });
    expect(again.id).toBe(user.id);
    const events = await ctx.orm.em.fork().find(AccountEvent, { user: user.id });
    expect(events.map((e) => [e.type, e.details, e.requestId])).toEqual([
      ['account.oidc_linked', { issuer: ISSUER, subject: sub, accountCreated: true }, 'req-1'],
    ]);
  });

  it('refuses a takeover with FORBIDDEN, an unverified e-mail and a foreign issuer with UNAUTHENTICATED', async () => {
    const email = `svc-${unique()}@example.test`;
    await ctx.services.identity.userForOidcClaims({ iss: ISSUER, sub: 'owner', email, email_verified: true });
    expect(
      (await refusal({ iss: ISSUER, sub: `sub-${unique()}`, email: email.toUpperCase(), email_verified: true })).code,
    ).toBe(ErrorCode.FORBIDDEN);
    expect(
      (await refusal({ iss: ISSUER, sub: `sub-${unique()}`, email: `x-${email}`, email_verified: false })).code,
    ).toBe(ErrorCode.UNAUTHENTICATED);
    const foreign = await refusal({
      iss: 'https://evil.example.test',
      sub: `sub-${unique()}`,
      email: `y-${email}`,
      email_verified: true,
    });
    expect([foreign.code, foreign.message]).toEqual([
      ErrorCode.UNAUTHENTICATED,
      'the token comes from an issuer this service does not trust',
    ]);
    expect(await ctx.orm.em.fork().count(User, { email: { $ilike: `%${email}` } })).toBe(1);
  });

  it('rebinds an account bound at an issuer that is no longer configured, by its verified e-mail', async () => {
    const email = `moved-${unique()}@example.test`;
    const em = ctx.orm.em.fork();
    const old = em.create(User, { email, oidcIssuer: 'https://old-idp.example.test', oidcSubject: 'old-sub' });
    await em.flush();
    const user = await ctx.services.identity.userForOidcClaims({
      iss: ISSUER,
      sub: 'new-sub',
      email,
      email_verified: true,
    });
    expect(user.id).toBe(old.id);
    expect(await ctx.orm.em.fork().findOneOrFail(User, old.id)).toMatchObject({
      oidcIssuer: ISSUER,
      oidcSubject: 'new-sub',
    });
    const [event] = await ctx.orm.em.fork().find(AccountEvent, { user: old.id });
    expect(event.details).toEqual({
      issuer: ISSUER,
      subject: 'new-sub',
      accountCreated: false,
      previousIssuer: 'https://old-idp.example.test',
    });
  });
});

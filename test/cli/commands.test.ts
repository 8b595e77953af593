import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { runOrgctl } from '../../src/cli/commands';
import { cliActor } from '../../src/domain/actor';
import { MemberSource, MemberStatus, ScimProvider } from '../../src/domain/enums';
import { ApiKey, AuditEvent, Group, GroupMembership, Member } from '../../src/entities';
import { hashSecret } from '../../src/services/secrets';
import { type TestContext, createTestContext, engineName } from '../helpers/db';
import { unique } from '../helpers/factories';

// The command code in-process, over the test database: the contract JSON and the effects behind it.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

const run = (...argv: string[]) => runOrgctl(argv, ctx);

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const result = await run(...argv, '--json');
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(result.stdout.endsWith('\n')).toBe(true);
  expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(result.stdout);
}

async function createOrg(
  ...extra: string[]
): Promise<{ organizationId: string; ownerMemberId: string; ownerToken: string; email: string }> {
  const email = `owner-${unique()}@acme.test`;
  const out = await json(
    'org',
    'create',
    '--name',
    'Acme',
    '--owner-email',
    email,
    '--owner-name',
    'Ada Owner',
    ...extra,
  );
  return { ...(out as { organizationId: string; ownerMemberId: string; ownerToken: string }), email };
}

/** Exactly one stderr line, no stack frame, nothing on stdout. */
function expectOneLineError(
  result: { exitCode: number; stdout: string; stderr: string },
  pattern: RegExp,
  exitCode = 1,
) {
  expect(result.exitCode).toBe(exitCode);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^orgctl: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/\bat .*:\d+/);
  expect(result.stderr).toMatch(pattern);
}

describe(`orgctl commands (${engineName()})`, () => {
  it('org create: exactly the contract keys; a CONFIRMED OWNER with a working access token', async () => {
    const { organizationId, ownerMemberId, ownerToken, email } = await createOrg('--seats', '5');
    const out = await json('org', 'create', '--name', 'Other', '--owner-email', `x-${unique()}@acme.test`);
    expect(Object.keys(out).sort()).toEqual(['organizationId', 'ownerMemberId', 'ownerToken']);
    const owner = await ctx.services.memberProfiles.get(cliActor(), organizationId, ownerMemberId);
    expect([owner.role, owner.status, owner.email, owner.displayName]).toEqual([
      'OWNER',
      MemberStatus.CONFIRMED,
      email,
      'Ada Owner',
    ]);
    expect((await ctx.services.organizations.get(cliActor(), organizationId)).organization.seatLimit).toBe(5);
    expect((await ctx.services.tokens.verify(ownerToken))?.email).toBe(email);
    const audit = await ctx.orm.em
      .fork()
      .find(AuditEvent, { organization: organizationId, type: 'organization.created' });
    expect(audit.map((a) => a.actorKind)).toEqual(['CLI']);
  });

  it('scim enable / rotate-key / disable: keys that work, then stop working', async () => {
    const { organizationId } = await createOrg();
    const enabled = await json('scim', 'enable', '--org', organizationId, '--provider', 'okta', '--staged');
    expect(Object.keys(enabled).sort()).toEqual(['apiKey', 'scimUrl']);
    expect(enabled.scimUrl).toBe(`http://orgd.test/scim/v2/${organizationId}`);
    expect(await ctx.services.scimSettings.verifyKey(organizationId, enabled.apiKey as string)).toBe(true);
    const settings = (await ctx.services.scimSettings.get(cliActor(), organizationId)).settings;
    expect([settings.enabled, settings.provider, settings.inviteUsersAfterProvisioning]).toEqual([
      true,
      ScimProvider.OKTA,
      false,
    ]);

    const rotated = await json('scim', 'rotate-key', '--org', organizationId);
    expect(Object.keys(rotated).sort()).toEqual(['apiKey', 'scimUrl']);
    expect(rotated.apiKey).not.toBe(enabled.apiKey);
    expect(await ctx.services.scimSettings.verifyKey(organizationId, enabled.apiKey as string)).toBe(false);
    expect(await ctx.services.scimSettings.verifyKey(organizationId, rotated.apiKey as string)).toBe(true);

    expect(await json('scim', 'disable', '--org', organizationId)).toEqual({ enabled: false });
    expect(await ctx.services.scimSettings.verifyKey(organizationId, rotated.apiKey as string)).toBe(false);

    // Without --staged, provisioned users are invited (an e-mail each).
    await json('scim', 'enable', '--org', organizationId);
    expect(
      (await ctx.services.scimSettings.get(cliActor(), organizationId)).settings.inviteUsersAfterProvisioning,
    ).toBe(true);
  });

  it('scim rotate-key --previous-key-valid-minutes: both keys work until the overlap ends; 0 ends the old key at once', async () => {
    const { organizationId } = await createOrg();
    const enabled = await json('scim', 'enable', '--org', organizationId);
    const verify = (key: unknown) => ctx.services.scimSettings.verifyKey(organizationId, key as string);
    const rotated = await json('scim', 'rotate-key', '--org', organizationId, '--previous-key-valid-minutes', '60');
    expect(Object.keys(rotated).sort()).toEqual(['apiKey', 'scimUrl']);
    expect([await verify(enabled.apiKey), await verify(rotated.apiKey)]).toEqual([true, true]);
    const { previousKey } = await ctx.services.scimSettings.get(cliActor(), organizationId);
    expect(previousKey?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);

    const human = await run('scim', 'rotate-key', '--org', organizationId, '--previous-key-valid-minutes', '5');
    expect(human.stdout).toMatch(
      /New SCIM API key, shown once: scim_\S+ .*\nThe previous key \(…\S+\) works until \S+Z\.\n$/,
    );
    expect(await verify(enabled.apiKey)).toBe(false); // one previous key at a time

    const abrupt = await json('scim', 'rotate-key', '--org', organizationId, '--previous-key-valid-minutes', '0');
    expect([await verify(rotated.apiKey), await verify(abrupt.apiKey)]).toEqual([false, true]);
    expect((await ctx.services.scimSettings.get(cliActor(), organizationId)).previousKey).toBeNull();
  });

  it('member revoke --keep-revoked / restore: the hold, the reason and the CLI as actor in the audit trail', async () => {
    const { organizationId } = await createOrg();
    const email = `m-${unique()}@acme.test`;
    const { member } = await ctx.services.memberLifecycle.invite(cliActor(), organizationId, { email });
    const revoked = await json(
      'member',
      'revoke',
      '--org',
      organizationId,
      '--member',
      member.id,
      '--reason',
      'left the company',
      '--keep-revoked',
    );
    expect(revoked).toEqual({ memberId: member.id, status: 'REVOKED', keptRevoked: true });
    const held = await ctx.services.memberProfiles.get(cliActor(), organizationId, member.id);
    expect(held).toMatchObject({ revocationReason: 'left the company', revocationHeldBy: 'orgctl' });
    const events = await ctx.services.audit.list(
      cliActor(),
      organizationId,
      { memberId: member.id, types: ['member.revoked'] },
      { first: 5 },
    );
    expect(events.items.map((e) => [e.actorKind, e.data])).toEqual([
      ['CLI', expect.objectContaining({ reason: 'left the company', keepRevoked: true })],
    ]);
    expect(await json('member', 'restore', '--org', organizationId, '--member', member.id)).toEqual({
      memberId: member.id,
      status: 'INVITED',
    });
    expect((await ctx.services.memberProfiles.get(cliActor(), organizationId, member.id)).revocationHeldAt).toBeNull();
    expectOneLineError(
      await run('member', 'restore', '--org', organizationId, '--member', member.id),
      /cannot restore a member whose status is INVITED/,
    );
  });

  it('token create: a token for the account, created when missing', async () => {
    const email = `dev-${unique()}@acme.test`;
    const out = await json('token', 'create', '--email', email);
    expect(Object.keys(out)).toEqual(['token']);
    expect((await ctx.services.tokens.verify(out.token as string))?.email).toBe(email);
  });

  it('token create --expires-at: the token carries the expiry, stops working after it; a past or malformed date is one line', async () => {
    const email = `exp-${unique()}@acme.test`;
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const out = await json('token', 'create', '--email', email, '--expires-at', expiresAt);
    expect(out).toEqual({ token: expect.stringMatching(/^orgd_/), expiresAt });
    expect((await ctx.services.tokens.verify(out.token as string))?.email).toBe(email);
    await ctx.orm.em
      .fork()
      .nativeUpdate(ApiKey, { hash: hashSecret(out.token as string) }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await ctx.services.tokens.verify(out.token as string)).toBeNull();

    expectOneLineError(
      await run('token', 'create', '--email', email, '--expires-at', '2001-01-01T00:00:00Z'),
      /expiresAt must be in the future/,
    );
    for (const bad of ['tomorrow', '2030-02-30', '2030-13-01', '12/31/2030', '']) {
      expectOneLineError(
        await run('token', 'create', '--email', email, '--expires-at', bad),
        /--expires-at.*ISO 8601/,
        2,
      );
    }
  });

  it('token create: refused in one line once the account holds ACCESS_TOKENS_PER_ACCOUNT (default 50) live tokens', async () => {
    const email = `many-${unique()}@acme.test`;
    for (let i = 0; i < 50; i++) await ctx.services.tokens.create(cliActor(), { email });
    expectOneLineError(
      await run('token', 'create', '--email', email, '--json'),
      /already has 50 access tokens.*ACCESS_TOKENS_PER_ACCOUNT=50.*revoke one first/,
    );
    expect(await ctx.orm.em.fork().count(ApiKey, { user: { email }, revokedAt: null })).toBe(50);
  });

  it('prints a short human line without --json', async () => {
    const result = await run('token', 'create', '--email', `h-${unique()}@acme.test`);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Access token for h-\w+@acme.test, shown once: orgd_\S+\n$/);
    expect((await run('--help')).stdout).toMatch(/Usage: orgctl/);
  });

  it('seed: N provisioned members and N groups, each with its audit event', async () => {
    const { organizationId } = await createOrg();
    expect(
      await json('seed', '--org', organizationId, '--members', '7', '--groups', '3', '--concurrency', '3'),
    ).toEqual({
      organizationId,
      members: 7,
      groups: 3,
    });
    const em = ctx.orm.em.fork();
    const members = await em.find(Member, { organization: organizationId, source: MemberSource.SCIM });
    expect(members).toHaveLength(7);
    expect(members.every((m) => m.status === MemberStatus.INVITED)).toBe(true);
    const groups = await em.find(Group, { organization: organizationId });
    expect(groups).toHaveLength(3);
    expect(await em.count(GroupMembership, { group: { organization: organizationId } })).toBeGreaterThan(0);
    expect(await em.count(AuditEvent, { organization: organizationId, type: 'member.provisioned' })).toBe(7);
    expect(await em.count(AuditEvent, { organization: organizationId, type: 'group.created' })).toBe(3);
  });

  it.each([
    [['bogus'], /unknown command 'bogus'/, 2],
    [['org'], /a command is required/, 2],
    [[], /a command is required/, 2],
    [['org', 'create', '--name', 'X'], /required option '--owner-email <email>' not specified/, 2],
    [
      ['org', 'create', '--name', 'X', '--owner-email', 'a@b.test', '--seats', 'many'],
      /--seats <n>.*must be a positive integer/,
      2,
    ],
    [
      ['org', 'create', '--name', 'X', '--owner-email', 'not-an-email'],
      /"not-an-email" is not a valid email address/,
      1,
    ],
    [['org', 'create', '--name', ' ', '--owner-email', 'a@b.test'], /name must not be empty/, 1],
    [['scim', 'enable', '--org', 'nope'], /--org <id>.*must be a UUID/, 2],
    [
      ['scim', 'enable', '--org', '6f1c1d52-4a0e-4c43-9d1e-3f2b7c1a9e10', '--provider', 'myidp'],
      /Allowed choices are/,
      2,
    ],
    [['scim', 'rotate-key', '--org', '6f1c1d52-4a0e-4c43-9d1e-3f2b7c1a9e10'], /organization not found/, 1],
    ...['10081', '-1', '1.5', 'an hour'].map((minutes) => [
      ['scim', 'rotate-key', '--org', '6f1c1d52-4a0e-4c43-9d1e-3f2b7c1a9e10', '--previous-key-valid-minutes', minutes],
      /--previous-key-valid-minutes <n>.*must be a whole number of minutes from 0 to 10080/,
      2,
    ]),
    [['scim', 'disable', '--org', '6f1c1d52-4a0e-4c43-9d1e-3f2b7c1a9e10', '--json'], /organization not found/, 1],
    [['token', 'create', '--email', 'nope', '--json'], /"nope" is not a valid email address/, 1],
    [['token', 'create', '--email', 'a@b.test', 'extra'], /too many arguments/, 2],
  ])('bad input %j: one line on stderr, non-zero exit', async (argv, pattern, exitCode) => {
    expectOneLineError(await run(...(argv as string[])), pattern as RegExp, exitCode as number);
  });

  it('mail list / mail show: the e-mails the outbox wrote to DATA_DIR/mail without SMTP_URL', async () => {
    const { organizationId } = await createOrg();
    const email = `mail-${unique()}@acme.test`;
    const { invitationToken } = await ctx.services.memberLifecycle.invite(cliActor(), organizationId, { email });
    expect((await json('mail', 'list', '--to', email)).mails).toEqual([]);
    await ctx.dispatcher.drainOnce();

    const { mails } = (await json('mail', 'list', '--to', email)) as { mails: Record<string, string>[] };
    expect(mails).toEqual([
      {
        id: expect.any(String),
        to: email,
        subject: 'You are invited to join Acme',
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        file: path.join(ctx.config.DATA_DIR, 'mail', `${mails[0].id}.eml`),
      },
    ]);
    const shown = await json('mail', 'show', mails[0].id);
    expect(shown).toEqual({ ...mails[0], text: expect.stringContaining(`token=${invitationToken}`) });
    const human = await run('mail', 'show', mails[0].id);
    expect(human.stdout).toContain(`http://orgd.test/invitations/accept?token=${invitationToken}`);
    expect((await run('mail', 'list', '--to', email)).stdout).toMatch(new RegExp(`^${mails[0].id}  .*  ${email}  `));

    expectOneLineError(await run('mail', 'show', randomUUID()), /mail not found/);
    expectOneLineError(await run('mail', 'show', '../etc/passwd'), /must be a UUID/, 2);
  });

  it('never opens the database for usage errors or help', async () => {
    const opened = jest.fn(async () => ctx as never);
    expectOneLineError(await runOrgctl(['org', 'create'], opened), /required option/, 2);
    expect((await runOrgctl(['scim', '--help'], opened)).exitCode).toBe(0);
    expect(opened).not.toHaveBeenCalled();
  });

  it('turns an unexpected failure into one line and reports it to the caller', async () => {
    const reported: Error[] = [];
    const failing = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect');
    };
    expectOneLineError(
      await runOrgctl(['token', 'create', '--email', 'a@b.test'], failing, (e) => reported.push(e)),
      /ECONNREFUSED/,
    );
    expect(reported).toHaveLength(1);
  });
});

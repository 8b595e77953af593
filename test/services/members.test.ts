import { cliActor, scimActor } from '../../src/domain/actor';
import { MemberRole, MemberStatus } from '../../src/domain/enums';
import { DomainError, ErrorCode } from '../../src/domain/errors';
import { AuditEvent, Member, OutboxMessage } from '../../src/entities';
import { type TestContext, createTestContext, engineName } from '../helpers/db';
import { confirmedMember, makeOrganization, profile, unique, userActor } from '../helpers/factories';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof DomainError ? e.code : `unexpected ${(e as Error).message}`),
  );

describe(`member lifecycle (${engineName()})`, () => {
  it('invite -> accept -> confirm -> revoke -> restore -> remove, each audited', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services);
    const email = `Invitee-${unique()}@Example.test`;
    const { member, invitationToken } = await services.memberLifecycle.invite(cliActor(), orgId, { email });
    expect(member.status).toBe(MemberStatus.INVITED);
    const outbox = await ctx.orm.em.fork().find(OutboxMessage, { memberId: member.id });
    expect(outbox).toHaveLength(1);
    expect(outbox[0].mail.text).toContain(invitationToken);

    const stranger = await userActor(services, `stranger-${unique()}@example.test`);
    expect(await code(services.memberLifecycle.accept(stranger, invitationToken))).toBe(ErrorCode.EMAIL_MISMATCH);
    const invitee = await userActor(services, email.toLowerCase());
    expect((await services.memberLifecycle.accept(invitee, invitationToken)).status).toBe(MemberStatus.ACCEPTED);
    expect(await code(services.memberLifecycle.accept(invitee, invitationToken))).toBe(ErrorCode.INVALID_TOKEN);

    expect((await services.memberLifecycle.confirm(cliActor(), orgId, member.id, 'wrapped-key')).status).toBe(
      MemberStatus.CONFIRMED,
    );
    const revoked = await services.memberLifecycle.revoke(cliActor(), orgId, member.id, 'left');
    expect([revoked.status, revoked.priorStatus]).toEqual([MemberStatus.REVOKED, MemberStatus.CONFIRMED]);
    expect((await services.memberLifecycle.restore(cliActor(), orgId, member.id)).status).toBe(MemberStatus.CONFIRMED);
    await services.memberLifecycle.remove(cliActor(), orgId, member.id);
    expect(await code(services.memberProfiles.get(cliActor(), orgId, member.id))).toBe(ErrorCode.NOT_FOUND);

    const types = (
      await ctx.orm.em.fork().find(AuditEvent, { targetId: member.id }, { orderBy: { occurredAt: 'asc' } })
    ).map((e) => e.type);
    expect(types).toEqual([
      'member.invited',
      'member.accepted',
      'member.confirmed',
      'member.revoked',
      'member.restored',
      'member.removed',
    ]);
  });

  it('puts an invitee into groups only for someone who may manage groups; otherwise nothing is written', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services);
    const group = await services.groups.create(cliActor(), orgId, { displayName: `Admins ${unique()}` });
    const { member: custom, actor: usersOnly } = await confirmedMember(services, orgId, MemberRole.CUSTOM as never);
    await services.memberProfiles.update(cliActor(), orgId, custom.id, { permissions: { manageUsers: true } });
    const email = `grouped-${unique()}@example.test`;
    expect(await code(services.memberLifecycle.invite(usersOnly, orgId, { email, groupIds: [group.id] }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    const written = await ctx.orm.em.fork().count(Member, { organization: orgId, email });
    expect(written).toBe(0);
    // Without groups the same caller invites; the owner may give groups.
    expect((await services.memberLifecycle.invite(usersOnly, orgId, { email })).member.status).toBe(
      MemberStatus.INVITED,
    );
    const owner = await services.memberLifecycle.invite(cliActor(), orgId, {
      email: `g2-${unique()}@example.test`,
      groupIds: [group.id],
    });
    expect(owner.member.status).toBe(MemberStatus.INVITED);
  });

  it('keeps a confirmed owner: revoke, remove and demote of the last one fail and change nothing', async () => {
    const { services } = ctx;
    const { orgId, owner } = await makeOrganization(services);
    expect(await code(services.memberLifecycle.revoke(cliActor(), orgId, owner.id))).toBe(ErrorCode.LAST_OWNER);
    expect(await code(services.memberLifecycle.remove(cliActor(), orgId, owner.id))).toBe(ErrorCode.LAST_OWNER);
    expect(await code(services.memberProfiles.update(cliActor(), orgId, owner.id, { role: MemberRole.USER }))).toBe(
      ErrorCode.LAST_OWNER,
    );
    const after = await services.memberProfiles.get(cliActor(), orgId, owner.id);
    expect([after.status, after.role, after.version]).toEqual([
      MemberStatus.CONFIRMED,
      MemberRole.OWNER,
      owner.version,
    ]);
  });

  it('gives the SCIM actor authority over owners (not the last one) but no grants, and the CLI everything', async () => {
    const { services } = ctx;
    const { orgId, owner } = await makeOrganization(services);
    const second = await confirmedMember(services, orgId, MemberRole.OWNER as never);
    const scim = scimActor(orgId);
    // An IdP deprovisions an owner who left the company...
    expect((await services.memberLifecycle.revoke(scim, orgId, second.member.id)).status).toBe(MemberStatus.REVOKED);
    expect((await services.memberLifecycle.restore(scim, orgId, second.member.id)).status).toBe(MemberStatus.CONFIRMED);
    // ...but never the last confirmed one, and it gives no role or flag (SCIM carries none).
    await services.memberLifecycle.remove(scim, orgId, second.member.id);
    expect(await code(services.memberLifecycle.revoke(scim, orgId, owner.id))).toBe(ErrorCode.LAST_OWNER);
    const user = await confirmedMember(services, orgId);
    expect(await code(services.memberProfiles.update(scim, orgId, user.member.id, { role: MemberRole.ADMIN }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    expect(
      await code(services.memberProfiles.update(scim, orgId, user.member.id, { permissions: { manageUsers: true } })),
    ).toBe(ErrorCode.FORBIDDEN);
    // The operator (CLI) gives anything, owner-only flags included.
    const custom = await services.memberProfiles.update(cliActor(), orgId, user.member.id, {
      role: MemberRole.CUSTOM,
      permissions: { manageScimKeys: true },
    });
    expect([custom.role, custom.permissions.manageScimKeys]).toEqual([MemberRole.CUSTOM, true]);
  });

  it('rejects duplicates case-insensitively, by the database', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services);
    const email = `dup-${unique()}@example.test`;
    await services.memberLifecycle.invite(cliActor(), orgId, { email });
    // The invitation's userName is its email, so either unique index may be the one PostgreSQL reports.
    expect([ErrorCode.DUPLICATE_EMAIL, ErrorCode.DUPLICATE_USER_NAME]).toContain(
      await code(services.memberLifecycle.invite(cliActor(), orgId, { email: email.toUpperCase() })),
    );
    await services.memberProfiles.provision(
      scimActor(orgId),
      orgId,
      profile(`z-${unique()}@example.test`, { userName: 'Shared.Name' }),
    );
    expect(
      await code(
        services.memberProfiles.provision(
          scimActor(orgId),
          orgId,
          profile(`w-${unique()}@example.test`, { userName: 'shared.name' }),
        ),
      ),
    ).toBe(ErrorCode.DUPLICATE_USER_NAME);
    const scim = scimActor(orgId);
    await services.memberProfiles.provision(
      scim,
      orgId,
      profile(`x-${unique()}@example.test`, { externalId: 'ext-1' }),
    );
    expect(
      await code(
        services.memberProfiles.provision(scim, orgId, profile(`y-${unique()}@example.test`, { externalId: 'ext-1' })),
      ),
    ).toBe(ErrorCode.DUPLICATE_EXTERNAL_ID);
  });

  it('enforces seats on invite and restore; staged members take none', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services);
    await services.organizations.update(cliActor(), orgId, { seatLimit: 2 });
    const second = await services.memberLifecycle.invite(cliActor(), orgId, { email: `s-${unique()}@example.test` });
    expect(
      await code(services.memberLifecycle.invite(cliActor(), orgId, { email: `t-${unique()}@example.test` })),
    ).toBe(ErrorCode.SEAT_LIMIT);
    await services.memberLifecycle.revoke(cliActor(), orgId, second.member.id);
    await services.memberLifecycle.invite(cliActor(), orgId, { email: `u-${unique()}@example.test` });
    expect(await code(services.memberLifecycle.restore(cliActor(), orgId, second.member.id))).toBe(
      ErrorCode.SEAT_LIMIT,
    );
    await services.scimSettings.update(cliActor(), orgId, { inviteUsersAfterProvisioning: false });
    const staged = await services.memberProfiles.provision(
      scimActor(orgId),
      orgId,
      profile(`v-${unique()}@example.test`),
    );
    expect(staged.status).toBe(MemberStatus.STAGED);
  });

  it('provisions under a seat limit: concurrent SCIM creates take the free seats and no more; a refused one writes nothing', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services); // the owner takes one seat
    await services.organizations.update(cliActor(), orgId, { seatLimit: 4 });
    const scim = scimActor(orgId);
    const emails = Array.from({ length: 8 }, (_, i) => `seat${i}-${unique()}@example.test`);
    const outcomes = await Promise.all(
      emails.map((e) => code(services.memberProfiles.provision(scim, orgId, profile(e)))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => o === ErrorCode.SEAT_LIMIT)).toHaveLength(5);
    const em = ctx.orm.em.fork();
    const written = await em.find(Member, { organization: orgId, email: { $in: emails } });
    expect(written).toHaveLength(3);
    const ids = written.map((m) => m.id);
    expect(await em.count(AuditEvent, { targetId: { $in: ids }, type: 'member.provisioned' })).toBe(3);
    expect(await em.count(OutboxMessage, { organization: orgId, recipient: { $in: emails } })).toBe(3);
    // A deactivated user takes no seat: its create goes through at the limit.
    const inactive = await services.memberProfiles.provision(
      scim,
      orgId,
      profile(`seat-off-${unique()}@example.test`),
      false,
    );
    expect([inactive.status, inactive.priorStatus]).toEqual([MemberStatus.REVOKED, MemberStatus.INVITED]);
  });

  it('provisions without a seat limit in one statement: the member as stored, its audit event and its invitation', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services);
    const email = `one-${unique()}@example.test`;
    const created = await services.memberProfiles.provision(
      scimActor(orgId),
      orgId,
      profile(email, { title: 'Chemist' }),
    );
    const em = ctx.orm.em.fork();
    const stored = await em.findOneOrFail(Member, created.id);
    expect([stored.email, stored.title, stored.status, stored.version]).toEqual([
      email,
      'Chemist',
      MemberStatus.INVITED,
      1,
    ]);
    expect([created.title, created.version, created.createdAt.getTime()]).toEqual([
      'Chemist',
      1,
      stored.createdAt.getTime(),
    ]);
    expect(stored.invitationTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await em.count(AuditEvent, { targetId: created.id, type: 'member.provisioned' })).toBe(1);
    const [mail] = await em.find(OutboxMessage, { memberId: created.id });
    expect(mail.mail.subject).toMatch(/^You are invited to join /);
    // An organization that does not exist: a clear error, nothing written.
    expect(
      await code(
        services.memberProfiles.provision(scimActor(orgId), '00000000-0000-4000-8000-000000000000', profile(email)),
      ),
    ).toBe(ErrorCode.NOT_FOUND);
  });

  it('provisions by the organization as it is now, though an earlier create remembered it otherwise', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services);
    const scim = scimActor(orgId);
    const provision = (tag: string) =>
      services.memberProfiles.provision(scim, orgId, profile(`${tag}-${unique()}@example.test`));
    expect((await provision('before')).status).toBe(MemberStatus.INVITED); // the organization is now remembered

    const name = `Renamed ${unique()}`;
    await services.organizations.update(cliActor(), orgId, { name });
    const renamed = await provision('renamed');
    const [mail] = await ctx.orm.em.fork().find(OutboxMessage, { memberId: renamed.id });
    expect(mail.mail.subject).toBe(`You are invited to join ${name}`);

    await services.scimSettings.update(cliActor(), orgId, { inviteUsersAfterProvisioning: false });
    expect((await provision('staged')).status).toBe(MemberStatus.STAGED);
    await services.scimSettings.update(cliActor(), orgId, { inviteUsersAfterProvisioning: true });

    const seatsUsed = await services.memberProfiles.seatsUsed(cliActor(), orgId);
    await services.organizations.update(cliActor(), orgId, { seatLimit: seatsUsed });
    expect(await code(provision('over'))).toBe(ErrorCode.SEAT_LIMIT);
  });

  it('lists with filters and keyset pages, scoped to the organization', async () => {
    const { services } = ctx;
    const { orgId } = await makeOrganization(services);
    const other = await makeOrganization(services);
    for (let i = 0; i < 5; i++)
      await services.memberLifecycle.invite(cliActor(), orgId, { email: `page${i}-${unique()}@example.test` });
    await services.memberLifecycle.invite(cliActor(), other.orgId, { email: `page-other-${unique()}@example.test` });
    const order = { field: 'CREATED_AT' as const, direction: 'ASC' as const };
    const first = await services.memberProfiles.list(cliActor(), orgId, { query: 'page' }, order, { first: 3 });
    expect(await first.countTotal()).toBe(5);
    expect(first.hasNextPage).toBe(true);
    const second = await services.memberProfiles.list(cliActor(), orgId, { query: 'page' }, order, {
      first: 3,
      after: first.cursorOf(first.items[2]),
    });
    expect(second.items).toHaveLength(2);
    expect(second.hasNextPage).toBe(false);
    const ids = [...first.items, ...second.items].map((m) => m.id);
    expect(new Set(ids).size).toBe(5);
    const back = await services.memberProfiles.list(cliActor(), orgId, { query: 'page' }, order, {
      last: 2,
      before: second.cursorOf(second.items[0]),
    });
    expect(back.items.map((m) => m.id)).toEqual(first.items.slice(1).map((m) => m.id));
    const invited = await services.memberProfiles.list(
      cliActor(),
      orgId,
      { statuses: [MemberStatus.CONFIRMED] },
      order,
      {
        first: 10,
      },
    );
    expect(invited.items.map((m) => m.role)).toEqual([MemberRole.OWNER]);
  });

  it('lets a plain user see only itself and change nothing', async () => {
    const { services } = ctx;
    const { orgId, owner } = await makeOrganization(services);
    const { member, actor } = await confirmedMember(services, orgId);
    expect((await services.memberProfiles.get(actor, orgId, member.id)).id).toBe(member.id);
    expect(await code(services.memberProfiles.get(actor, orgId, owner.id))).toBe(ErrorCode.NOT_FOUND);
    expect(await code(services.memberLifecycle.revoke(actor, orgId, owner.id))).toBe(ErrorCode.FORBIDDEN);
    const outsider = await userActor(services, `out-${unique()}@example.test`);
    expect(await code(services.memberProfiles.get(outsider, orgId, member.id))).toBe(ErrorCode.NOT_FOUND);
    const count = await ctx.orm.em.fork().count(Member, { organization: orgId });
    expect(count).toBe(2);
  });
});

import { cliActor, scimActor } from '../../src/domain/actor';
import { type DomainError, ErrorCode } from '../../src/domain/errors';
import { AuditEvent } from '../../src/entities';
import { type TestContext, createTestContext, engineName } from '../helpers/db';
import { makeOrganization, profile, unique } from '../helpers/factories';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function provisionMany(orgId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      (await ctx.services.memberProfiles.provision(scimActor(orgId), orgId, profile(`g${i}-${unique()}@example.test`)))
        .id,
    );
  }
  return ids;
}

const memberIdsOf = async (orgId: string, groupId: string) =>
  ((await ctx.services.groups.membersOf(cliActor(), orgId, [groupId], null)).get(groupId) ?? [])
    .map((m) => m.id)
    .sort();

/** Counts the SQL statements a piece of work sends. */
async function countStatements(work: () => Promise<unknown>): Promise<number> {
  const knex = ctx.orm.em.getConnection().getKnex();
  let n = 0;
  const onQuery = () => n++;
  knex.on('query', onQuery);
  try {
    await work();
  } finally {
    knex.off('query', onQuery);
  }
  return n;
}

describe(`groups (${engineName()})`, () => {
  it('adds, removes, replaces and clears members as deltas, idempotently', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const [a, b, c, d] = await provisionMany(orgId, 4);
    const group = await ctx.services.groups.create(scimActor(orgId), orgId, { displayName: 'Eng', memberIds: [a, b] });
    expect(await memberIdsOf(orgId, group.id)).toEqual([a, b].sort());
    await ctx.services.groups.update(scimActor(orgId), orgId, group.id, { members: { add: [b, c, c] } });
    expect(await memberIdsOf(orgId, group.id)).toEqual([a, b, c].sort());
    await ctx.services.groups.update(scimActor(orgId), orgId, group.id, { members: { remove: [a] } });
    expect(await memberIdsOf(orgId, group.id)).toEqual([b, c].sort());
    await ctx.services.groups.update(scimActor(orgId), orgId, group.id, { members: { replace: [c, d] } });
    expect(await memberIdsOf(orgId, group.id)).toEqual([c, d].sort());
    const updated = await ctx.services.groups.update(scimActor(orgId), orgId, group.id, {
      members: { removeAll: true },
      displayName: 'Engineering',
    });
    expect(await memberIdsOf(orgId, group.id)).toEqual([]);
    expect(updated.displayName).toBe('Engineering');
    expect(updated.version).toBeGreaterThan(group.version);
  });

  it('rejects members of another organization and unknown ids, changing nothing', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const other = await makeOrganization(ctx.services);
    const [mine] = await provisionMany(orgId, 1);
    const [theirs] = await provisionMany(other.orgId, 1);
    const group = await ctx.services.groups.create(cliActor(), orgId, { displayName: 'G' });
    for (const bad of [theirs, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      const err = await ctx.services.groups
        .update(cliActor(), orgId, group.id, { members: { add: [mine, bad] } })
        .catch((e: DomainError) => e);
      expect((err as DomainError).code).toBe(ErrorCode.UNKNOWN_MEMBERS);
    }
    expect(await memberIdsOf(orgId, group.id)).toEqual([]);
    // Another organization's SCIM connection cannot even see the group.
    const err = await ctx.services.groups.get(scimActor(other.orgId), orgId, group.id).catch((e: DomainError) => e);
    expect((err as DomainError).code).toBe(ErrorCode.NOT_FOUND);
  });

  it('costs the same number of statements to add to a small or a large group', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const ids = await provisionMany(orgId, 30);
    const small = await ctx.services.groups.create(cliActor(), orgId, {
      displayName: 'small',
      memberIds: ids.slice(0, 2),
    });
    const large = await ctx.services.groups.create(cliActor(), orgId, {
      displayName: 'large',
      memberIds: ids.slice(0, 25),
    });
    const addSmall = await countStatements(() =>
      ctx.services.groups.update(cliActor(), orgId, small.id, { members: { add: ids.slice(25, 30) } }),
    );
    const addLarge = await countStatements(() =>
      ctx.services.groups.update(cliActor(), orgId, large.id, { members: { add: ids.slice(25, 30) } }),
    );
    expect(addSmall).toBeGreaterThan(2);
    expect(addLarge).toBe(addSmall);
    expect(await memberIdsOf(orgId, large.id)).toHaveLength(30);
  });

  it('deletes a group with its links and audits every write', async () => {
    const { orgId } = await makeOrganization(ctx.services);
    const [a] = await provisionMany(orgId, 1);
    const group = await ctx.services.groups.create(cliActor(), orgId, { displayName: 'Temp', memberIds: [a] });
    await ctx.services.groups.delete(cliActor(), orgId, group.id);
    const err = await ctx.services.groups.get(cliActor(), orgId, group.id).catch((e: DomainError) => e);
    expect((err as DomainError).code).toBe(ErrorCode.NOT_FOUND);
    const types = (
      await ctx.orm.em.fork().find(AuditEvent, { targetId: group.id }, { orderBy: { occurredAt: 'asc' } })
    ).map((e) => e.type);
    expect(types).toEqual(['group.created', 'group.deleted']);
    // The member stays.
    expect((await ctx.services.memberProfiles.get(cliActor(), orgId, a)).id).toBe(a);
  });
});

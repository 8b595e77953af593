import { cliActor } from '../../src/domain/actor';
import { textArray } from '../../src/repositories/selection';
import { type TestContext, createTestContext, engineName } from '../helpers/db';
import { makeOrganization } from '../helpers/factories';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe(`plain-SQL selections (${engineName()})`, () => {
  it('binds a text[] literal that PostgreSQL reads back element for element, whatever the characters', async () => {
    const values = ['plain', 'with,comma', 'with "quotes"', 'back\\slash', '{braces}', 'NULL', '', ' spaced '];
    const [row] = await ctx.orm.em.fork().execute<{ v: string[] }[]>('select ?::text[] as v', [textArray(values)]);
    expect(row.v).toEqual(values);
  });

  it('filters the audit trail by types without letting a crafted type widen or break the query', async () => {
    const org = await makeOrganization(ctx.services);
    const all = await ctx.services.audit.list(cliActor(), org.orgId, {}, { first: 100 });
    expect(all.items.length).toBeGreaterThan(0);
    const type = all.items[0].type;
    const matching = await ctx.services.audit.list(cliActor(), org.orgId, { types: [type] }, { first: 100 });
    expect(matching.items.map((e) => e.type)).toEqual(all.items.filter((e) => e.type === type).map((e) => e.type));
    const crafted = await ctx.services.audit.list(
      cliActor(),
      org.orgId,
      { types: [`${type}","x`, `x"} or true --`] },
      { first: 100 },
    );
    expect(crafted.items).toEqual([]);
  });
});

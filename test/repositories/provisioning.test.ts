import { ReferenceKind } from '@mikro-orm/core';
import { Member } from '../../src/entities';
import { MEMBER_INSERT_COLUMNS } from '../../src/repositories/provisioning.repository';
import { type TestContext, createTestContext, engineName } from '../helpers/db';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe(`the SCIM create's hand-written member insert (${engineName()})`, () => {
  it('writes every column of the member entity but its version (a new column cannot be forgotten there)', () => {
    const meta = ctx.orm.getMetadata().get(Member.name);
    const columns = meta.props
      .filter((p) => (p.kind === ReferenceKind.SCALAR || p.kind === ReferenceKind.MANY_TO_ONE) && !p.version)
      .flatMap((p) => p.fieldNames);
    expect([...MEMBER_INSERT_COLUMNS].sort()).toEqual(columns.sort());
  });
});

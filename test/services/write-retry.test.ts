import pino from 'pino';
import { type EntityManager } from '@mikro-orm/postgresql';
import { BaseService } from '../../src/services/base';
import { type TestContext, createTestContext, engineName, testPostgresUrl } from '../helpers/db';
import { makeOrganization } from '../helpers/factories';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

/** Exposes BaseService.write, counting how many times the work ran. */
class Probe extends BaseService {
  runs = 0;
  run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.write(async (tx) => {
      this.runs++;
      return work(tx);
    });
  }
}

// A deadlock needs two connections; PGlite has one.
const onPostgres = testPostgresUrl() ? describe : describe.skip;

onPostgres(`one write, one transaction, run again after a deadlock (${engineName()})`, () => {
  it('re-runs the transaction PostgreSQL aborted as the deadlock victim, so both writes commit', async () => {
    const [a, b] = [await makeOrganization(ctx.services), await makeOrganization(ctx.services)];
    const probe = new Probe({ orm: ctx.orm, config: ctx.config, logger: pino({ level: 'silent' }) });
    let bothHoldTheirFirstLock!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHoldTheirFirstLock = resolve));
    let holding = 0;
    // Each locks one organization row, waits until the other holds its own, then asks for the other's: a cycle.
    const crossing = (first: string, second: string, name: string) =>
      probe.run(async (tx) => {
        await tx.execute('update organization set name = name where id = ?', [first]);
        if (++holding === 2) bothHoldTheirFirstLock();
        await barrier;
        await tx.execute('update organization set name = ? where id = ?', [name, second]);
        return name;
      });
    const results = await Promise.all([crossing(a.orgId, b.orgId, 'first'), crossing(b.orgId, a.orgId, 'second')]);
    expect(results.sort()).toEqual(['first', 'second']);
    expect(probe.runs).toBe(3); // two first runs, one of them aborted by PostgreSQL and run again
    const names = await ctx.orm.em
      .fork()
      .execute<{ name: string }[]>('select name from organization where id in (?, ?) order by name', [
        a.orgId,
        b.orgId,
      ]);
    expect(names.map((n) => n.name).sort()).toEqual(['first', 'second']);
  });
});

/** The provisioning activity panel: "failures only" and "failures in the last hour" read ScimRequestLogFilter.failed/since. */
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { scim, scimOrg } from '../helpers/scim';
import { ok } from '../graphql/gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const LOG = `query($id: ID!, $filter: ScimRequestLogFilter) {
  organization(id: $id) { scim { requestLog(first: 10, filter: $filter) { totalCount nodes { method status } } } }
}`;

describe(`SCIM request log filters (${engineName()})`, () => {
  it('lists only failed requests, only successful ones, and only those since a time', async () => {
    const o = await scimOrg(t);
    const idp = scim(t, o);
    const before = new Date(Date.now() - 1000).toISOString();
    await idp.get('/Users').expect(200);
    await idp.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] }).expect(400);
    const log = async (filter: Record<string, unknown>) => {
      for (let i = 0; ; i++) {
        // The log row is written when the response has been sent; give it a moment.
        const l = (await ok(t.app, o.ownerToken, LOG, { id: o.orgId, filter })).organization.scim.requestLog;
        if (l.totalCount > 0 || i > 20) return l;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await log({});
    expect(await log({ failed: true })).toEqual({ totalCount: 1, nodes: [{ method: 'POST', status: 400 }] });
    expect(await log({ failed: false })).toEqual({ totalCount: 1, nodes: [{ method: 'GET', status: 200 }] });
    expect((await log({ failed: true, since: before })).totalCount).toBe(1);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(
      (await ok(t.app, o.ownerToken, LOG, { id: o.orgId, filter: { since: future } })).organization.scim.requestLog
        .totalCount,
    ).toBe(0);
  });
});

import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { LIMITS } from '../../src/graphql/limits';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
import { codes, countStatements, gql, ok } from './gql';

let t: TestApp;
let orgId: string;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  ({ orgId, ownerToken: token } = await makeOrganization(t.services));
});
afterAll(() => t.close());

const post = () => request(t.app).post('/graphql').set('authorization', `Bearer ${token}`);

describe(`protection (${engineName()})`, () => {
  it('rejects a query deeper than the limit, and accepts one at the limit', async () => {
    // organization > members > nodes > groups > nodes > members > nodes > groups > nodes > id: 10 levels
    const atLimit = `query($id: ID!) { organization(id: $id) { members(first: 2) { nodes { groups(first: 2) { nodes { members(first: 2) { nodes { groups(first: 2) { nodes { id } } } } } } } } } }`;
    expect((await gql(t.app, token, atLimit, { id: orgId })).status).toBe(200);
    const tooDeep = atLimit.replace('nodes { id }', 'nodes { members(first: 1) { totalCount } }');
    const res = await gql(t.app, token, tooDeep, { id: orgId });
    expect(res.status).toBe(400);
    expect(res.body.errors![0]).toMatchObject({
      message: `The query is 11 levels deep; at most ${LIMITS.depth} are allowed.`,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' },
    });
    // Fragments count at their place of use.
    const viaFragment = `query($id: ID!) { organization(id: $id) { ...Deep } } fragment Deep on Organization { members(first: 2) { nodes { groups(first: 2) { nodes { members(first: 2) { nodes { groups(first: 2) { nodes { members(first: 1) { totalCount } } } } } } } } } }`;
    expect(codes(await gql(t.app, token, viaFragment, { id: orgId }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('rejects more aliases than the limit, counting fragments each time they are spread', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: viewer { user { id } }`).join(' ');
    expect((await gql(t.app, token, `{ ${aliases(LIMITS.aliases)} }`)).status).toBe(200);
    const res = await gql(t.app, token, `{ ${aliases(LIMITS.aliases + 1)} }`);
    expect(res.status).toBe(400);
    expect(res.body.errors![0]).toMatchObject({
      message: `The query uses 31 aliases; at most ${LIMITS.aliases} are allowed.`,
      extensions: { limit: 'aliases' },
    });
    const fragment = `fragment U on Viewer { ${Array.from({ length: 16 }, (_, i) => `u${i}: user { id }`).join(' ')} }`;
    expect(codes(await gql(t.app, token, `{ v1: viewer { ...U } v2: viewer { ...U } } ${fragment}`))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });

  it('rejects a query whose cost exceeds the budget, page sizes from variables included', async () => {
    const Q = `query($id: ID!, $n: Int) { organization(id: $id) { members(first: $n) { nodes { groups(first: $n) { nodes { members(first: $n) { nodes { id email } } } } } } } }`;
    const res = await gql(t.app, token, Q, { id: orgId, n: 100 });
    expect(res.status).toBe(400);
    expect(res.body.errors![0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost', maxCost: LIMITS.cost },
    });
    expect(res.body.errors![0].extensions!.cost).toBeGreaterThan(1_000_000);
    expect(res.body.errors![0].message).toMatch(/costs \d+; at most 10000/);
    expect((await gql(t.app, token, Q, { id: orgId, n: 5 })).status).toBe(200);
  });

  it('refuses a page size out of range anywhere before running anything: no alias can cancel the cost', async () => {
    const heavy = `members(first: 100) { nodes { groups(first: 100) { nodes { members(first: 100) { nodes { id email } } } } } }`;
    const refused = await gql(t.app, token, `query($id: ID!) { organization(id: $id) { ${heavy} } }`, { id: orgId });
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0].extensions).toMatchObject({ limit: 'cost' });
    expect(refused.body.errors![0].extensions!.cost).toBeGreaterThan(3_000_000);

    const sibling = (size: string) =>
      `query($id: ID!${size === '$n' ? ', $n: Int' : ''}) { organization(id: $id) { ${heavy} x: ${heavy.replace('first: 100', `first: ${size}`)} } }`;
    for (const [size, n, field, message] of [
      ['-100', undefined, 'first', 'first must not be less than 1'],
      ['0', undefined, 'first', 'first must not be less than 1'],
      ['$n', -100, 'first', 'first must not be less than 1'],
      ['$n', 0, 'first', 'first must not be less than 1'],
      ['$n', 101, 'first', 'first must not be greater than 100'],
    ] as const) {
      const res = await gql(t.app, token, sibling(size), { id: orgId, ...(n === undefined ? {} : { n }) });
      const label = { size, n };
      expect({ ...label, status: res.status, data: res.body.data }).toEqual({ ...label, status: 400, data: undefined });
      expect({ ...label, errors: res.body.errors }).toEqual({
        ...label,
        errors: [
          {
            message: `Invalid input: ${field}: ${message}`,
            extensions: { code: 'BAD_USER_INPUT', fields: [{ field, message }] },
          },
        ],
      });
    }
    // A nested size out of range under a cheap query is refused the same way, before the outer list is read.
    const { sql } = await countStatements(t.orm, async () => {
      const nested = await gql(
        t.app,
        token,
        `query($id: ID!, $n: Int) { organization(id: $id) { members(first: 1) { nodes { groups(first: $n) { totalCount } } } } }`,
        { id: orgId, n: -1 },
      );
      expect([nested.status, codes(nested), nested.body.data]).toEqual([400, ['BAD_USER_INPUT'], undefined]);
    });
    // At most the token's own lookup: never the organization, its members or their groups.
    expect(sql.filter((q) => /"(organization|member|group)"/.test(q))).toEqual([]);
    expect(codes(await gql(t.app, token, `{ viewer { organizations(first: -1) { totalCount } } }`))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('refuses batched operations', async () => {
    const res = await post()
      .set('content-type', 'application/json')
      .send([{ query: '{ viewer { user { id } } }' }, { query: '{ viewer { user { id } } }' }]);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/batch/i);
  });

  it('blocks requests a browser could send cross-site (CSRF prevention)', async () => {
    const simplePost = await post()
      .set('content-type', 'text/plain')
      .send(JSON.stringify({ query: '{ viewer { user { id } } }' }));
    expect(simplePost.status).toBe(400);
    expect(simplePost.text).toMatch(/Cross-Site Request Forgery/);
    const simpleGet = await request(t.app)
      .get('/graphql')
      .query({ query: '{ viewer { user { id } } }' })
      .set('authorization', `Bearer ${token}`);
    expect(simpleGet.status).toBe(400);
    const preflighted = await request(t.app)
      .get('/graphql')
      .query({ query: '{ viewer { user { id } } }' })
      .set('authorization', `Bearer ${token}`)
      .set('apollo-require-preflight', 'true');
    expect(preflighted.status).toBe(200);
  });

  it('limits the request body size (413) and answers bad JSON with 400, both in GraphQL error shape', async () => {
    const big = await post()
      .set('content-type', 'application/json')
      .send({ query: `{ viewer { user { id } } }`, variables: { pad: 'x'.repeat(150_000) } });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({
      errors: [
        { message: `The request body is larger than ${LIMITS.body}.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } },
      ],
    });
    const bad = await post().set('content-type', 'application/json').send('{"query": ');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('validates arguments and inputs: page sizes, emails, list sizes, ids (BAD_USER_INPUT, nothing written)', async () => {
    const page = (args: string) =>
      gql(t.app, token, `query($id: ID!) { organization(id: $id) { members(${args}) { totalCount } } }`, { id: orgId });
    for (const args of ['first: 0', 'first: 101', 'last: 101']) {
      const res = await page(args);
      expect({ args, codes: codes(res) }).toEqual({ args, codes: ['BAD_USER_INPUT'] });
    }
    // A nested connection (resolved per node) checks its page size too, with the same error as the top level.
    for (const args of ['first: 0', 'first: 101']) {
      const nested = await gql(
        t.app,
        token,
        `query($id: ID!) { organization(id: $id) { members(first: 1) { nodes { groups(${args}) { totalCount } } } } }`,
        { id: orgId },
      );
      const top = await page(args);
      expect({ args, codes: codes(nested) }).toEqual({ args, codes: ['BAD_USER_INPUT'] });
      expect(nested.body.errors![0].message).toBe(top.body.errors![0].message);
      expect(nested.body.errors![0].extensions).toEqual(top.body.errors![0].extensions);
    }
    const both = await page('first: 1, last: 1');
    expect(both.body.errors![0]).toMatchObject({
      message: 'use either first or last, not both',
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' },
    });
    expect(codes(await page('first: 1, after: "not-a-cursor"'))).toEqual(['BAD_USER_INPUT']);
    // Cursors that decode but do not belong to the list: never a database error (500).
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const ownCursor = (
      await ok(
        t.app,
        token,
        `query($id: ID!) { organization(id: $id) { members(first: 1, orderBy: { field: EMAIL, direction: ASC }) { pageInfo { endCursor } } } }`,
        { id: orgId },
      )
    ).organization.members.pageInfo.endCursor;
    const sameOrder = await gql(
      t.app,
      token,
      `query($id: ID!, $c: String) { organization(id: $id) { members(first: 1, after: $c, orderBy: { field: EMAIL, direction: ASC }) { nodes { id } } } }`,
      { id: orgId, c: ownCursor },
    );
    expect(sameOrder.body.errors).toBeUndefined();
    const lists = ['members', 'groups', 'events', 'scim { requestLog'];
    for (const c of [
      cursor(['x', 'y']),
      cursor(['not a date', orgId]),
      cursor([1e300, orgId]),
      cursor([null, orgId]),
      cursor(['2020-02-31T00:00:00.000Z', orgId]),
      cursor(['a\u0000', orgId]),
      ownCursor,
    ]) {
      for (const list of lists) {
        const close = list.includes('{') ? '}' : '';
        const backward = list === 'members' || list === 'groups'; // events and requestLog page forward only
        for (const args of [`first: 2, after: "${c}"`, ...(backward ? [`last: 2, before: "${c}"`] : [])]) {
          const res = await gql(
            t.app,
            token,
            `query($id: ID!) { organization(id: $id) { ${list}(${args}) { nodes { __typename } } ${close} } }`,
            { id: orgId },
          );
          const label = { list, args, cursor: Buffer.from(c, 'base64url').toString() };
          // the members cursor of the EMAIL order is foreign to every list here (all in their default order)
          expect({ ...label, codes: codes(res) }).toEqual({ ...label, codes: ['BAD_USER_INPUT'] });
        }
      }
    }

    const INVITE = `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { results { email } } }`;
    const badEmail = await gql(t.app, token, INVITE, {
      input: { organizationId: orgId, emails: [`ok-${unique()}@example.test`, 'not-an-email'] },
    });
    expect(badEmail.body.errors![0]).toMatchObject({
      extensions: {
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'emails', message: 'each value in emails must be an email' }],
      },
    });
    expect(badEmail.body.errors![0].extensions).not.toHaveProperty('validationErrors');
    const tooMany = await gql(t.app, token, INVITE, {
      input: { organizationId: orgId, emails: Array.from({ length: 101 }, (_, i) => `m${i}@example.test`) },
    });
    expect(tooMany.body.errors![0].extensions!.fields).toEqual([
      { field: 'emails', message: 'emails must contain no more than 100 elements' },
    ]);
    const badId = await gql(
      t.app,
      token,
      `mutation { membersRevoke(input: { organizationId: "x", memberIds: ["1"] }) { userErrors { code } } }`,
    );
    expect(codes(badId)).toEqual(['BAD_USER_INPUT']);
    const nested = await gql(
      t.app,
      token,
      `mutation($id: ID!) { memberUpdate(input: { organizationId: $id, memberId: $id, name: { givenName: "${'x'.repeat(201)}" } }) { userErrors { code } } }`,
      { id: orgId },
    );
    expect(nested.body.errors![0].extensions!.fields).toEqual([
      { field: 'name.givenName', message: 'givenName must be shorter than or equal to 200 characters' },
    ]);
    const members = await ok(
      t.app,
      token,
      `query($id: ID!) { organization(id: $id) { memberStatusCounts { total } } }`,
      { id: orgId },
    );
    expect(members.organization.memberStatusCounts.total).toBe(1);
  });

  it('masks unexpected errors and keeps their details out of the response', async () => {
    const spy = jest
      .spyOn(t.services.memberProfiles, 'statusCounts')
      .mockRejectedValueOnce(new Error('connection to 10.0.0.5 lost: password=hunter2'));
    const res = await gql(
      t.app,
      token,
      `query($id: ID!) { organization(id: $id) { name memberStatusCounts { total } } }`,
      { id: orgId },
    );
    spy.mockRestore();
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ organization: { name: expect.any(String), memberStatusCounts: null } });
    expect(res.body.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['organization', 'memberStatusCounts'],
        locations: expect.any(Array),
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|10\.0\.0\.5/);
  });
});

describe(`efficiency (${engineName()})`, () => {
  it('reads a page of members with their groups in the same number of statements for 10 and 100 members', async () => {
    const { services } = t;
    const { orgId: big, ownerToken } = await makeOrganization(services);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++)
      ids.push(
        (await services.memberLifecycle.invite(cliActor(), big, { email: `bulk${i}-${unique()}@example.test` })).member
          .id,
      );
    for (const name of ['Alpha', 'Beta', 'Gamma'])
      await services.groups.create(cliActor(), big, { displayName: name, memberIds: ids });

    const MEMBERS = `query($id: ID!, $n: Int!) { organization(id: $id) { members(first: $n, filter: { statuses: [INVITED] }) { totalCount nodes { id email viewerCan { revoke } user { email } groups(first: 5) { totalCount nodes { id displayName } } } } } }`;
    const GROUPS = `query($id: ID!, $n: Int!) { organization(id: $id) { groups(first: $n) { nodes { displayName members(first: $n) { totalCount nodes { email groups { totalCount } } } } } } }`;
    const EVENTS = `query($id: ID!, $n: Int!) { organization(id: $id) { events(first: $n) { nodes { type actor { member { email } } target { member { email } } } } } }`;
    await ok(t.app, ownerToken, MEMBERS, { id: big, n: 1 }); // warm-up: the token's lastUsedAt is written once a minute
    const measured: Record<string, number[]> = {};
    for (const [name, query, sizes] of [
      ['members', MEMBERS, [10, 100]],
      ['groups', GROUPS, [1, 3]],
      ['events', EVENTS, [10, 100]],
    ] as const) {
      measured[name] = [];
      for (const n of sizes) {
        let data: Record<string, any> = {};
        // The fewest of two runs: background writes (the last-used stamps' flush, once a second) share the pool and
        // may land inside one run; an N+1 read would show in both.
        const counts: number[] = [];
        for (let run = 0; run < 2; run++) {
          const { count } = await countStatements(t.orm, async () => {
            data = await ok(t.app, ownerToken, query, { id: big, n });
          });
          counts.push(count);
        }
        measured[name].push(Math.min(...counts));
        if (name === 'members') {
          expect(data.organization.members.nodes).toHaveLength(n);
          expect(data.organization.members.nodes[0].groups).toEqual({
            totalCount: 3,
            nodes: [expect.objectContaining({ displayName: 'Alpha' }), expect.anything(), expect.anything()],
          });
        }
      }
    }

    console.log(`SQL statements per request (${engineName()}):`, JSON.stringify(measured));
    for (const [name, [small, large]] of Object.entries(measured))
      expect({ name, large }).toEqual({ name, large: small });
  });
});

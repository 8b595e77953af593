import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { MemberRole } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { confirmedMember, makeOrganization, unique } from '../helpers/factories';
import { tokenFor } from '../graphql/gql';

/**
 * RFC 4180 records, as a spreadsheet reads them: quoted fields may hold commas, quotes ("") and line breaks.
 * Written here rather than borrowed from the writer's own package, so the test checks the file, not the library.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') endField();
    else if (c === '\r' && body[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Objects keyed by the header row. */
function records(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const download = (t: TestApp, path: string, token: string) =>
  request(t.app)
    .get(path)
    .set('authorization', `Bearer ${token}`)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });

let t: TestApp;
let org: Awaited<ReturnType<typeof makeOrganization>>;

beforeAll(async () => {
  t = await createTestApp();
  org = await makeOrganization(t.services, `Northwind ${unique()}`);
  // 1,000 staged members written in one statement: the export, not the invitation flow, is under test. Times are
  // at millisecond precision, as the application writes them (a keyset cursor carries milliseconds).
  await t.orm.em.fork().execute(
    `insert into member (id, organization_id, email, user_name, display_name, permissions, status, role, source,
                         created_at, updated_at)
     select gen_random_uuid(), ?, 'bulk-' || n || '@example.test', 'bulk-' || n || '@example.test', 'Bulk ' || n,
            '{}'::jsonb, case when n % 4 = 0 then 'REVOKED' else 'STAGED' end, 'USER', 'SCIM',
            date_trunc('milliseconds', now()) - (n || ' seconds')::interval, now()
       from generate_series(1, 1000) as n`,
    [org.orgId],
  );
});
afterAll(() => t.close());

describe(`CSV export (${engineName()})`, () => {
  it('streams every member of a 1,000-member organization, with a header row and a named attachment', async () => {
    const res = await download(t, `/export/organizations/${org.orgId}/members.csv`, org.ownerToken).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="members-northwind-[0-9a-f]{8}-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = records(res.body as string);
    expect(rows).toHaveLength(1001); // the 1,000 and the owner
    expect(new Set(rows.map((r) => r.id)).size).toBe(1001);
    expect(rows.filter((r) => r.email.startsWith('bulk-'))).toHaveLength(1000);
    expect(rows.find((r) => r.email === 'bulk-7@example.test')).toMatchObject({
      userName: 'bulk-7@example.test',
      displayName: 'Bulk 7',
      status: 'STAGED',
      role: 'USER',
      source: 'SCIM',
      groups: '',
    });
  });

  it('exports what the list shows under the same filter and order', async () => {
    const res = await download(
      t,
      `/export/organizations/${org.orgId}/members.csv?statuses=REVOKED&query=bulk-1&orderBy=EMAIL&direction=DESC`,
      org.ownerToken,
    ).expect(200);
    const emails = records(res.body as string).map((r) => r.email);
    // bulk-1.., n % 4 = 0: 12, 16, 100, 104, …, 1000
    const expected = Array.from({ length: 1000 }, (_, i) => i + 1)
      .filter((n) => n % 4 === 0 && String(n).startsWith('1'))
      .map((n) => `bulk-${n}@example.test`)
      .sort()
      .reverse();
    expect(emails).toEqual(expected);
  });

  it("neutralizes cells a spreadsheet would run as a formula, and keeps the others' text as it is", async () => {
    const o = await makeOrganization(t.services);
    const names = [
      '=HYPERLINK("http://evil.test","x")',
      '+1+2',
      '-3',
      '@SUM(A1)',
      '\tcmd',
      '\rcmd',
      'Ada, "the" first',
    ];
    // Written as an identity provider could leave them (the service trims; a directory need not).
    for (const [i, displayName] of names.entries())
      await t.orm.em.fork().execute(
        `insert into member (id, organization_id, email, user_name, display_name, permissions, status, role, source)
         values (gen_random_uuid(), ?, ?, ?, ?, '{}'::jsonb, 'STAGED', 'USER', 'SCIM')`,
        [o.orgId, `f${i}-${unique()}@example.test`, `f${i}-${unique()}`, displayName],
      );
    const res = await download(t, `/export/organizations/${o.orgId}/members.csv?sources=SCIM`, o.ownerToken).expect(
      200,
    );
    const shown = records(res.body as string).map((r) => r.displayName);
    expect(shown.sort()).toEqual(
      [
        `'=HYPERLINK("http://evil.test","x")`,
        "'+1+2",
        "'-3",
        "'@SUM(A1)",
        "'\tcmd",
        "'\rcmd",
        'Ada, "the" first',
      ].sort(),
    );
  });

  it('refuses a member without the right to list (403) and another organization (404), before any row', async () => {
    const plain = await confirmedMember(t.services, org.orgId, MemberRole.USER as never);
    const plainToken = await tokenFor(t.services, plain.email);
    const denied = await request(t.app)
      .get(`/export/organizations/${org.orgId}/members.csv`)
      .set('authorization', `Bearer ${plainToken}`);
    expect(denied.status).toBe(403);
    expect(denied.headers['content-disposition']).toBeUndefined();
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(
      (
        await request(t.app)
          .get(`/export/organizations/${org.orgId}/events.csv`)
          .set('authorization', `Bearer ${plainToken}`)
      ).status,
    ).toBe(403);

    const stranger = await makeOrganization(t.services);
    for (const kind of ['members', 'events']) {
      const res = await request(t.app)
        .get(`/export/organizations/${org.orgId}/${kind}.csv`)
        .set('authorization', `Bearer ${stranger.ownerToken}`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('bulk-');
    }
    expect((await request(t.app).get(`/export/organizations/${org.orgId}/members.csv`)).status).toBe(401);
    // Another path under /export is the API's 404, never the console's page.
    const unknown = await request(t.app).get('/export/nothing-here').set('authorization', `Bearer ${org.ownerToken}`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers a filter it does not accept with 400 naming the parameter', async () => {
    const res = await request(t.app)
      .get(`/export/organizations/${org.orgId}/members.csv?statuses=GONE`)
      .set('authorization', `Bearer ${org.ownerToken}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain('"statuses"');
    const range = await request(t.app)
      .get(`/export/organizations/${org.orgId}/events.csv?from=2026-12-07T10:00:00Z&to=2026-12-01T00:00:00Z`)
      .set('authorization', `Bearer ${org.ownerToken}`);
    expect(range.status).toBe(400);
  });

  it('takes the console session cookie from the console only: a cross-site link carrying it is refused', async () => {
    const signIn = await request(t.app)
      .post('/auth/token')
      .set('content-type', 'application/json')
      .send({ token: org.ownerToken });
    const cookie = ([] as string[])
      .concat(signIn.headers['set-cookie'])
      .find((c) => c.startsWith('orgd_session='))!
      .split(';')[0];
    const path = `/export/organizations/${org.orgId}/events.csv`;
    const fromConsole = await request(t.app).get(path).set('cookie', cookie).set('sec-fetch-site', 'same-origin');
    expect(fromConsole.status).toBe(200);
    expect(fromConsole.headers['content-disposition']).toMatch(/^attachment; filename="events-northwind-/);
    const crossSite = await request(t.app).get(path).set('cookie', cookie).set('sec-fetch-site', 'cross-site');
    expect(crossSite.status).toBe(403);
    const otherOrigin = await request(t.app).get(path).set('cookie', cookie).set('origin', 'https://evil.example');
    expect(otherOrigin.status).toBe(401);
  });

  it('exports the event log with its filters and date range, as sentences', async () => {
    const o = await makeOrganization(t.services);
    const invited = await t.services.memberLifecycle.invite(cliActor(), o.orgId, {
      email: `inv-${unique()}@example.test`,
    });
    const all = records(
      (await download(t, `/export/organizations/${o.orgId}/events.csv`, o.ownerToken).expect(200)).body as string,
    );
    const invitation = all.find((e) => e.type === 'member.invited')!;
    expect(invitation).toMatchObject({
      source: 'CLI',
      actor: 'an operator (orgctl)',
      targetType: 'member',
      target: invited.member.email,
      targetId: invited.member.id,
    });
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = records(
      (
        await download(
          t,
          `/export/organizations/${o.orgId}/events.csv?from=${encodeURIComponent(future)}`,
          o.ownerToken,
        ).expect(200)
      ).body as string,
    );
    expect(none).toEqual([]);
    const bySource = records(
      (await download(t, `/export/organizations/${o.orgId}/events.csv?sources=SCIM`, o.ownerToken).expect(200))
        .body as string,
    );
    expect(bySource).toEqual([]);
  });
});

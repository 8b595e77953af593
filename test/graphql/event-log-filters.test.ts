import { cliActor } from '../../src/domain/actor';
import { ScimProvider } from '../../src/domain/enums';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { unique } from '../helpers/factories';
import { newUser, scim, scimOrg } from '../helpers/scim';
import { codes, gql, ok } from './gql';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const EVENTS = `query($id: ID!, $filter: AuditEventFilter, $first: Int, $after: String) {
  organization(id: $id) { events(first: $first, after: $after, filter: $filter) {
    nodes { id type occurredAt source reason actor { kind display memberId } target { type id display } }
    pageInfo { hasNextPage endCursor }
  } }
}`;

type Event = {
  id: string;
  type: string;
  occurredAt: string;
  source: string;
  reason: string | null;
  actor: { kind: string; display: string; memberId: string | null };
  target: { type: string | null; id: string | null; display: string | null };
};

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * An organization provisioned by JumpCloud where three sources acted: the owner in the console (an invitation),
 * JumpCloud (Grace provisioned, her address changed, deactivated, deleted) and an operator with orgctl.
 */
async function busyOrganization() {
  const o = await scimOrg(t);
  await t.services.scimSettings.update(cliActor(), o.orgId, { provider: ScimProvider.JUMPCLOUD });
  const owner = await t.services.memberProfiles.get(cliActor(), o.orgId, o.ownerMemberId);
  const frances = `frances-${unique()}@example.test`;
  await ok(
    t.app,
    o.ownerToken,
    `mutation($input: MembersInviteInput!) { membersInvite(input: $input) { userErrors { code } } }`,
    { input: { organizationId: o.orgId, emails: [frances] } },
  );
  await pause();
  const start = new Date();
  await pause();
  const client = scim(t, o, { 'User-Agent': 'JumpCloud-SCIM/1.0' });
  const grace = `grace-${unique()}@example.test`;
  const user = (await client.post('/Users', newUser(grace)).expect(201)).body;
  const renamed = `grace.hopper-${unique()}@example.test`;
  const moved = { ...user, userName: renamed, emails: [{ value: renamed, primary: true }] };
  await client.put(`/Users/${user.id}`, moved).expect(200);
  await client.put(`/Users/${user.id}`, { ...moved, active: false }).expect(200);
  await pause();
  const end = new Date();
  await pause();
  await client.delete(`/Users/${user.id}`).expect(204);
  await t.services.memberLifecycle.invite(cliActor(), o.orgId, { email: `cli-${unique()}@example.test` });
  return { o, owner, frances, grace, renamed, graceId: user.id, start, end };
}

async function events(token: string, orgId: string, filter: Record<string, unknown> = {}): Promise<Event[]> {
  return (await ok(t.app, token, EVENTS, { id: orgId, filter, first: 100 })).organization.events.nodes;
}

describe(`the event log answers "who did what to whom" (${engineName()})`, () => {
  let org: Awaited<ReturnType<typeof busyOrganization>>;
  beforeAll(async () => {
    org = await busyOrganization();
  });

  it('reads each event as a sentence: who, what, about whom (linked by id), and why', async () => {
    const all = await events(org.o.ownerToken, org.o.orgId);
    const invitation = all.find((e) => e.type === 'member.invited' && e.target.display === org.frances)!;
    expect(invitation).toMatchObject({
      source: 'CONSOLE',
      actor: { kind: 'USER', display: org.owner.email, memberId: org.owner.id },
      target: { type: 'member', id: expect.any(String), display: org.frances },
    });
    const graceEvents = all.filter((e) => e.target.id === org.graceId);
    expect(graceEvents.every((e) => e.source === 'SCIM' && e.actor.display === 'JumpCloud')).toBe(true);
    // Gone, Grace is still named, by the address the events recorded.
    const removal = graceEvents.find((e) => e.type === 'member.removed')!;
    expect(removal.target.display).toBe(org.renamed);
    expect(graceEvents.find((e) => e.reason === 'email changed')).toBeDefined();
    expect(all.find((e) => e.source === 'CLI')!.actor.display).toBe('an operator (orgctl)');
  });

  it('filters by person: a member id, or part of the address (also the one a removed member had)', async () => {
    const byId = await events(org.o.ownerToken, org.o.orgId, { person: org.graceId });
    expect(byId.length).toBeGreaterThanOrEqual(4); // provisioned, address changed, deactivated, removed
    expect(byId.every((e) => e.target.id === org.graceId)).toBe(true);
    const byOldAddress = await events(org.o.ownerToken, org.o.orgId, { person: 'GRACE-' });
    const byNewAddress = await events(org.o.ownerToken, org.o.orgId, { person: 'grace.hopper' });
    expect(byNewAddress.map((e) => e.id)).toEqual(
      byId.map((e) => e.id).filter((id) => byNewAddress.some((n) => n.id === id)),
    );
    expect(new Set([...byOldAddress, ...byNewAddress].map((e) => e.id))).toEqual(new Set(byId.map((e) => e.id)));
    // The SCIM deactivation is among them: "who revoked Grace?" has an answer.
    expect(byId.some((e) => e.source === 'SCIM' && e.type !== 'member.invited')).toBe(true);
    expect(await events(org.o.ownerToken, org.o.orgId, { person: 'nobody-here' })).toEqual([]);
  });

  it('filters by actor (member id, account id or address) and by source', async () => {
    const ownerAccount = org.owner.userId!;
    for (const actor of [org.owner.id, ownerAccount, org.owner.email.slice(0, 12).toUpperCase()]) {
      const byOwner = await events(org.o.ownerToken, org.o.orgId, { actor });
      expect(byOwner.length).toBeGreaterThan(0);
      expect(byOwner.every((e) => e.actor.kind === 'USER' && e.actor.display === org.owner.email)).toBe(true);
      expect(byOwner.some((e) => e.target.display === org.frances)).toBe(true);
    }
    const scim = await events(org.o.ownerToken, org.o.orgId, { sources: ['SCIM'] });
    expect(scim.length).toBeGreaterThanOrEqual(4);
    expect(scim.every((e) => e.source === 'SCIM' && e.actor.kind === 'SCIM')).toBe(true);
    const cliOrConsole = await events(org.o.ownerToken, org.o.orgId, { sources: ['CLI', 'CONSOLE'] });
    expect(new Set(cliOrConsole.map((e) => e.source))).toEqual(new Set(['CLI', 'CONSOLE']));
    // Combined with the type filter.
    const scimRemovals = await events(org.o.ownerToken, org.o.orgId, { sources: ['SCIM'], types: ['member.removed'] });
    expect(scimRemovals.map((e) => e.target.id)).toEqual([org.graceId]);
  });

  it('filters by date range, and pages through a filtered log with its cursor', async () => {
    const inRange = await events(org.o.ownerToken, org.o.orgId, {
      from: org.start.toISOString(),
      to: org.end.toISOString(),
    });
    expect(inRange.length).toBeGreaterThanOrEqual(3);
    for (const e of inRange) {
      expect(Date.parse(e.occurredAt)).toBeGreaterThanOrEqual(org.start.getTime());
      expect(Date.parse(e.occurredAt)).toBeLessThan(org.end.getTime());
      expect(e.source).toBe('SCIM');
    }
    const whole = await events(org.o.ownerToken, org.o.orgId, { person: org.graceId });
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { nodes: Event[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = (
        await ok(t.app, org.o.ownerToken, EVENTS, {
          id: org.o.orgId,
          filter: { person: org.graceId },
          first: 1,
          after,
        })
      ).organization.events;
      paged.push(...page.nodes.map((e) => e.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole.map((e) => e.id));
  });

  it('refuses a range that ends before it starts', async () => {
    const res = await gql(t.app, org.o.ownerToken, EVENTS, {
      id: org.o.orgId,
      filter: { from: org.end.toISOString(), to: org.start.toISOString() },
      first: 10,
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

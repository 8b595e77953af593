/**
 * No path to a privilege one was not given. Random sequences of (caller × action × target) go through the real app
 * over HTTP — GraphQL mutations on members, roles, flags, groups, SCIM settings, keys and tokens; SCIM Users and
 * Groups writes (with role-ish attributes and e-mail changes); the /auth sign-in flows with tokens read from a real
 * SMTP receiver — and after every step an independent model (privilege-model.ts) judges every change in the
 * database and every credential the caller obtained.
 *
 * Callers: an OWNER, an ADMIN, a CUSTOM member with random flags and a USER of organization A; the owner of
 * organization B; an anonymous caller; the SCIM keys of A and of B. Each run builds both organizations afresh.
 * The attacker's mailboxes (`@attacker.test`) are readable by every caller; every other address is its account's.
 *
 * Runs: PRIVILEGE_PROPERTY_RUNS (default 20, up to 14 steps each). Seed: FC_SEED, else random; printed at the start and, by fast-check,
 * in the failure message (replay with FC_SEED=<seed>).
 */
import fc from 'fast-check';
import request from 'supertest';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { PATCH_SCHEMA } from '../helpers/scim';
import { SmtpReceiver } from '../helpers/smtp';
import {
  type Action,
  type EmailRef,
  Runner,
  type Step,
  type Target,
  accountOf,
  actsAs,
  heldOf,
  perform,
  scimUser,
} from './privilege-actions';
import {
  type Credential,
  FLAGS,
  type Flag,
  type Flags,
  ROLES,
  type Snapshot,
  authorityIn,
  changed,
  controls,
  credentialAccount,
  holds,
  violations,
} from './privilege-model';
import {
  ACCOUNTS,
  CALLERS,
  type CallerName,
  ROSTER,
  type World,
  bindHarness,
  buildWorld,
  deliverMail,
  nextWorldAddress,
  sha256,
  snapshot,
  worldInbox,
} from './privilege-world';

const RUNS = Number(process.env.PRIVILEGE_PROPERTY_RUNS ?? 20);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);
const LOTS = '1000000'; // the limiters are not under test here

const smtp = new SmtpReceiver();
let t: TestApp;

beforeAll(async () => {
  console.log(`[privilege property] seed ${SEED} (replay with FC_SEED=${SEED}), ${RUNS} runs`);
  const port = await smtp.start();
  t = await createTestApp({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SCIM_RATE_LIMIT_PER_SECOND: LOTS,
    SCIM_RATE_LIMIT_BURST: LOTS,
    GRAPHQL_RATE_LIMIT: LOTS,
    AUTH_FAILURE_RATE_LIMIT: LOTS,
    SIGN_IN_RATE_LIMIT: LOTS,
    SIGN_IN_TARGET_RATE_LIMIT: LOTS,
  });
  bindHarness(t, smtp);
}, 60_000);
afterAll(async () => {
  await t?.dispatcher.stop(); // closes its SMTP connection
  await t?.close();
  await smtp.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// Generators

const orgArb = fc.constantFrom<'A' | 'B'>('A', 'A', 'A', 'B'); // most callers act in A
const rosterArb = fc.constantFrom(...ROSTER);
// Most callers are members of A: its members are the targets where a wrong grant would show.
const rosterTargetArb = fc.oneof(
  { arbitrary: fc.constantFrom(...ROSTER.filter((n) => n.endsWith('A'))), weight: 3 },
  { arbitrary: fc.constantFrom(...ROSTER.filter((n) => n.endsWith('B'))), weight: 1 },
);
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  { arbitrary: rosterTargetArb.map((roster) => ({ roster })), weight: 6 },
  { arbitrary: fc.constant({ self: true as const }), weight: 2 },
  { arbitrary: fc.record({ other: fc.nat(7), org: orgArb }), weight: 2 },
);
const targetsArb = fc.array(targetArb, { minLength: 1, maxLength: 3 });
const emailArb: fc.Arbitrary<EmailRef> = fc.oneof(
  { arbitrary: fc.constant({ fresh: true as const }), weight: 2 },
  { arbitrary: fc.constantFrom(...ACCOUNTS, 'invitedA' as const).map((of) => ({ of })), weight: 1 },
);
const roleArb = fc.constantFrom(...ROLES);
// The CUSTOM caller's flags: mostly with manageUsers, without which it can change no member at all.
const flagsArb: fc.Arbitrary<Flags> = fc.record({
  ...(Object.fromEntries(FLAGS.map((f) => [f, fc.boolean()])) as Record<Flag, fc.Arbitrary<boolean>>),
  manageUsers: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
});
const someFlagsArb = fc.record(
  Object.fromEntries(FLAGS.map((f) => [f, fc.boolean()])) as Record<Flag, fc.Arbitrary<boolean>>,
  { requiredKeys: [] },
);
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    arbitrary: fc.record({
      t: fc.constant('memberUpdate' as const),
      target: targetArb,
      role: opt(roleArb),
      flags: opt(someFlagsArb),
    }),
    weight: 10,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('membersInvite' as const),
      org: orgArb,
      email: emailArb,
      role: roleArb,
      flags: someFlagsArb,
      group: opt(fc.nat(3)),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('lifecycle' as const),
      op: fc.constantFrom(
        'Confirm' as const,
        'Revoke' as const,
        'Restore' as const,
        'Remove' as const,
        'Reinvite' as const,
      ),
      target: targetArb,
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ t: fc.constant('groupCreate' as const), org: orgArb, targets: targetsArb }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('groupMembers' as const),
      op: fc.constantFrom('Add' as const, 'Remove' as const),
      org: orgArb,
      group: fc.nat(3),
      targets: targetsArb,
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ t: fc.constant('memberGroupsSet' as const), target: targetArb, group: fc.nat(3) }),
    weight: 1,
  },
  { arbitrary: fc.record({ t: fc.constant('groupDelete' as const), org: orgArb, group: fc.nat(3) }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('scimSettingsUpdate' as const),
      org: orgArb,
      enabled: opt(fc.boolean()),
      invite: opt(fc.boolean()),
      provider: opt(fc.constantFrom('okta', 'jumpcloud', 'default')),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('scimApiKeyRotate' as const),
      org: orgArb,
      overlapMinutes: opt(fc.constantFrom(0, 30)),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ t: fc.constant('scimPreviousKeyRevoke' as const), org: orgArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('accessTokenCreate' as const) }), weight: 1 },
  {
    arbitrary: fc.record({ t: fc.constantFrom('accessTokenRevoke' as const, 'sessionRevoke' as const), of: rosterArb }),
    weight: 1,
  },
  { arbitrary: fc.record({ t: fc.constant('invitationAccept' as const), mail: fc.nat(5) }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('scimCreateUser' as const),
      org: orgArb,
      email: emailArb,
      active: fc.boolean(),
      roleish: fc.boolean(),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('scimPutUser' as const),
      target: targetArb,
      email: emailArb,
      active: fc.boolean(),
      roleish: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('scimPatchUser' as const),
      target: targetArb,
      op: fc.constantFrom('email' as const, 'active' as const, 'roles' as const, 'noPath' as const),
      email: emailArb,
      active: fc.boolean(),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ t: fc.constant('scimDeleteUser' as const), target: targetArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('scimCreateGroup' as const), org: orgArb, targets: targetsArb }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('scimPatchGroup' as const),
      org: orgArb,
      group: fc.nat(3),
      op: fc.constantFrom('add' as const, 'remove' as const, 'replace' as const),
      targets: targetsArb,
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ t: fc.constant('scimDeleteGroup' as const), org: orgArb, group: fc.nat(3) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('authToken' as const) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('authEmailLink' as const), email: emailArb }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('authInvitationAccept' as const), mail: fc.nat(5) }), weight: 2 },
);

/**
 * Who performs an action: mostly callers that speak its transport (so that many steps change something), and
 * every other caller too (so that refusals are probed).
 */
const ACCOUNT_CALLERS = CALLERS.filter((c) => c !== 'ANON' && !c.startsWith('SCIM'));
const callerFor = (action: Action): fc.Arbitrary<CallerName> => {
  const likely: readonly CallerName[] =
    action.t.startsWith('scim') && !/Settings|ApiKey/.test(action.t)
      ? ['SCIM_A', 'SCIM_B']
      : action.t.startsWith('auth')
        ? ['ANON', ...ACCOUNT_CALLERS]
        : ACCOUNT_CALLERS;
  return fc.oneof(
    { arbitrary: fc.constantFrom(...likely), weight: 3 },
    { arbitrary: fc.constantFrom(...CALLERS), weight: 1 },
  );
};

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: actionArb.chain((action) =>
      fc.record({ caller: callerFor(action), cred: fc.nat(3), action: fc.constant(action) }),
    ),
    weight: 12,
  },
  {
    // The invitation takeover, always through a SCIM key, against any account.
    arbitrary: fc.record({
      caller: fc.constantFrom<CallerName>('SCIM_A', 'SCIM_B'),
      cred: fc.constant(0),
      action: fc.record({ t: fc.constant('takeover' as const), victim: fc.constantFrom(...ACCOUNTS) }),
    }),
    weight: 1,
  },
);

// ---------------------------------------------------------------------------------------------------------------
// One step: run it, then judge every change and every credential obtained

const stats = { steps: 0, changed: 0, obtained: 0 };

async function runStep(w: World, step: Step, pre: Snapshot): Promise<{ post: Snapshot; problems: string[] }> {
  const caller = w.callers[step.caller];
  const held = heldOf(w, step);
  const credential: Credential = !held
    ? { kind: 'none' }
    : held.kind === 'scim'
      ? { kind: 'scim', hash: sha256(held.secret), orgId: held.orgId }
      : { kind: held.kind, hash: sha256(held.secret) };
  const runner = new Runner(w, pre, held);
  await perform(runner, w, step);
  await deliverMail();
  const post = await snapshot(w);
  const ctx = { accounts: caller.accounts, credential };
  const problems = violations(pre, post, ctx);

  // Credentials the caller obtained: each must act as an account it controls, or be a key its authority mints.
  for (const o of runner.obtained) {
    if (o.kind === 'scim') {
      if (!holds(authorityIn(pre, credential, o.orgId), 'manageScimKeys'))
        problems.push(`obtained a SCIM key of ${o.orgId} without owner authority`);
      else caller.creds.push(o);
      continue;
    }
    const userId = await actsAs(o);
    if (!userId) continue;
    if (o.kind === 'token' && userId !== credentialAccount(pre, credential))
      problems.push(`accessTokenCreate gave a token of ${post.users.get(userId)}, not of the caller`);
    if (!controls(ctx, post.users, userId)) {
      problems.push(`obtained a ${o.kind} acting as ${post.users.get(userId)}, an account it does not control`);
      continue;
    }
    stats.obtained++;
    caller.accounts.add(userId);
    caller.creds.push(o);
  }
  stats.steps++;
  if (changed(pre, post)) stats.changed++;
  if (problems.length)
    problems.unshift(
      `${step.caller} (${held?.kind ?? 'no credential'}) ${JSON.stringify(step.action)}: ${runner.log.join('; ')}`,
    );
  return { post, problems };
}

describe(`privilege: no caller gains an account, a role or a permission it was not given (${engineName()})`, () => {
  it('random (caller × action × target) sequences over GraphQL, SCIM and /auth', async () => {
    await fc.assert(
      fc.asyncProperty(flagsArb, fc.array(stepArb, { minLength: 1, maxLength: 14 }), async (customFlags, steps) => {
        const w = await buildWorld(customFlags);
        let pre = await snapshot(w);
        for (const step of steps) {
          const { post, problems } = await runStep(w, step, pre);
          if (problems.length) throw new Error(problems.join('\n'));
          pre = post;
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(
      `[privilege property] ${stats.steps} steps, ${stats.changed} changed the database, ${stats.obtained} credentials obtained legitimately`,
    );
    expect(stats.changed).toBeGreaterThan(0);
  }, 600_000);

  // A victim in the attacker's own organization (its address is taken there: a conflict), and two in another.
  it.each(['ownerA', 'ownerB', 'userB'] as const)(
    'SCIM invites the attacker, renames the invitation to the address of %s, the attacker accepts: no session, no role',
    async (victimName) => {
      const w = await buildWorld({ ...Object.fromEntries(FLAGS.map((f) => [f, false])), manageUsers: true } as Flags);
      const victim = w.roster[victimName];
      const victimId = (await accountOf(victim.email))!;
      const scimKey = w.callers.SCIM_A.creds[0].secret;
      const send = (method: 'post' | 'patch', path: string, body: unknown) => {
        const agent = request(t.app);
        return agent[method](`/scim/v2/${w.orgs.A}${path}`)
          .set('authorization', `Bearer ${scimKey}`)
          .set('content-type', 'application/scim+json')
          .send(JSON.stringify(body));
      };
      const pre = await snapshot(w);

      const mailbox = nextWorldAddress(w);
      const created = await send('post', '/Users', scimUser(mailbox, true, false));
      expect(created.status).toBe(201);
      await deliverMail();
      const token = worldInbox(w).invitations.at(-1);
      expect(token).toBeDefined();
      const patched = await send('patch', `/Users/${created.body.id}`, {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'emails', value: [{ value: victim.email, type: 'work', primary: true }] }],
      });
      expect(patched.status).toBeLessThan(500);

      const accepted = await request(t.app)
        .post('/auth/invitation/accept')
        .set('content-type', 'application/json')
        .send({ token });
      const cookie = ([] as string[])
        .concat(accepted.headers['set-cookie'] ?? [])
        .map((c) => /^(?:__Host-)?orgd_session=([^;]+)/.exec(c)?.[1])
        .find(Boolean);
      const actingAs = cookie ? await actsAs({ kind: 'session', secret: decodeURIComponent(cookie) }) : null;
      const outcome = {
        patched: patched.status < 300,
        accepted: accepted.status >= 200 && accepted.status < 300,
        sessionFor: actingAs === null ? null : actingAs === victimId ? 'victim' : 'someone else',
      };
      if (outcome.patched) {
        // The invitation now names the victim's address: the attacker's token is refused and signs nobody in.
        expect(outcome).toEqual({ patched: true, accepted: false, sessionFor: null });
      } else {
        // The address is taken in this organization (a conflict): the token is still the attacker's own.
        expect(outcome.sessionFor).not.toBe('victim');
      }
      await deliverMail();
      const post = await snapshot(w);
      const victimSessions = (s: Snapshot) => [...s.sessions.values()].filter((x) => x.userId === victimId).length;
      expect(victimSessions(post)).toBe(victimSessions(pre));
      // The victim's account is linked to no membership of A that it did not hold before.
      const linked = (s: Snapshot) =>
        [...s.members.values()].filter((m) => m.userId === victimId).map((m) => `${m.orgId}:${m.role}:${m.status}`);
      expect(linked(post).sort()).toEqual(linked(pre).sort());
      // And the model agrees: nothing changed that SCIM and an anonymous caller had no authority for.
      expect(
        violations(pre, post, {
          accounts: new Set(),
          credential: { kind: 'scim', hash: sha256(scimKey), orgId: w.orgs.A },
        }),
      ).toEqual([]);
    },
    60_000,
  );
});

import { JsonClient } from './http-client';
import { type ScimTarget } from './scenarios';
import {
  addMembersBody,
  groupBody,
  groupLookupPath,
  listResources,
  person,
  resourceId,
  scimBase,
  userBody,
  userLookupPath,
} from './scim-payloads';
import { Recorder } from './stats';

export interface SyncSpec {
  users: number;
  groups: number;
  groupSize: number;
  clients: number;
}

export interface SyncResult {
  seconds: number;
  /** False when the cycle ran into its time cap and was stopped. */
  completed: boolean;
  usersCreated: number;
  usersFound: number;
  /** Users whose lookup (and create) was done before the cap, when the cycle was stopped. */
  usersProcessed: number;
  groupsProcessed: number;
  groupsCreated: number;
  all: Recorder;
  byOp: Record<'userLookup' | 'userCreate' | 'groupLookup' | 'groupCreate', Recorder>;
}

/**
 * (c) A JumpCloud-like initial sync: `clients` concurrent workers, each user looked up before it is
 * created (`GET filter userName eq` -> empty list -> `POST`), then each group looked up by displayName
 * and created with its members. Errors are counted and the sync carries on, as an IdP would.
 */
export async function runSync(t: ScimTarget, spec: SyncSpec, prefix: string, capSeconds: number): Promise<SyncResult> {
  const client = new JsonClient(t.port, { Authorization: `Bearer ${t.key}` }, spec.clients);
  const byOp = {
    userLookup: new Recorder(),
    userCreate: new Recorder(),
    groupLookup: new Recorder(),
    groupCreate: new Recorder(),
  };
  const ids: (string | undefined)[] = new Array(spec.users);
  const started = Date.now();
  // The users get 85% of the cap and the groups the rest, so a slow cycle still measures its group phase
  // (groups then carry the members created so far).
  let deadline = started + capSeconds * 850;
  let completed = true;
  let usersCreated = 0;
  let usersFound = 0;
  let groupsCreated = 0;
  const base = scimBase(t.org);

  const track = (r: Recorder, res: { status: number; ms: number; error?: string }, bodyError = false) => {
    if (res.error) r.transportError(/timeout/.test(res.error) ? 'timeout' : 'transport');
    else r.record(res.status, res.ms, bodyError);
  };

  let usersProcessed = 0;
  let groupsProcessed = 0;
  const pool = async (count: number, work: (i: number) => Promise<void>, done: () => void) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: spec.clients }, async () => {
        for (;;) {
          if (Date.now() > deadline) {
            completed = false;
            return;
          }
          const i = next++;
          if (i >= count) return;
          await work(i);
          done();
        }
      }),
    );
  };

  try {
    await pool(
      spec.users,
      async (i) => {
        const p = person(prefix, i);
        const look = await client.send('GET', userLookupPath(t.org, p.userName));
        const list = listResources(look.body);
        track(byOp.userLookup, look, look.status === 200 && !list);
        if (list && list.total > 0 && list.ids[0]) {
          ids[i] = list.ids[0];
          usersFound++;
          return;
        }
        const created = await client.send('POST', `${base}/Users`, userBody(p));
        const id = created.status === 201 ? resourceId(created.body) : undefined;
        track(byOp.userCreate, created, created.status === 201 && !id);
        if (id) {
          ids[i] = id;
          usersCreated++;
        }
      },
      () => usersProcessed++,
    );
    deadline = started + capSeconds * 1000;
    await pool(
      spec.groups,
      async (k) => {
        const displayName = `${prefix} group ${k}`;
        const look = await client.send('GET', groupLookupPath(t.org, displayName));
        const list = listResources(look.body);
        track(byOp.groupLookup, look, look.status === 200 && !list);
        const members: string[] = [];
        for (let j = 0; j < spec.groupSize; j++) {
          const id = ids[(k * spec.groupSize + j) % spec.users];
          if (id) members.push(id);
        }
        if (list && list.total > 0 && list.ids[0]) {
          // Already there (a re-run): IdPs then send the membership as a PATCH.
          const patched = await client.send('PATCH', `${base}/Groups/${list.ids[0]}`, addMembersBody(members));
          track(byOp.groupCreate, patched);
          return;
        }
        const created = await client.send('POST', `${base}/Groups`, groupBody(displayName, `${prefix}-g${k}`, members));
        track(byOp.groupCreate, created);
        if (created.status === 201) groupsCreated++;
      },
      () => groupsProcessed++,
    );
  } finally {
    client.close();
  }
  const all = new Recorder();
  for (const r of Object.values(byOp)) all.merge(r);
  return {
    seconds: (Date.now() - started) / 1000,
    completed,
    usersCreated,
    usersFound,
    usersProcessed,
    groupsProcessed,
    groupsCreated,
    all,
    byOp,
  };
}

export interface GroupPatchResult {
  latencies: number[];
  recorder: Recorder;
  /** Memberships counted in the database after each PATCH, when a check was possible. */
  verified: boolean[];
}

/** (d) One `PATCH /Groups/{id}` adding `add` members to a group of `size`, repeated on fresh groups. */
export async function runGroupPatch(
  t: ScimTarget,
  groupIds: string[],
  addIds: string[],
  countMembers: (groupId: string) => Promise<number>,
  expected: number,
  capSeconds: number,
): Promise<GroupPatchResult> {
  const deadline = Date.now() + capSeconds * 1000;
  const client = new JsonClient(t.port, { Authorization: `Bearer ${t.key}` }, 1, capSeconds * 1000);
  const recorder = new Recorder();
  const latencies: number[] = [];
  const verified: boolean[] = [];
  try {
    for (const groupId of groupIds) {
      // Repetitions stop at the cap (a slow PATCH must not eat the run's time budget).
      if (Date.now() > deadline) break;
      const res = await client.send('PATCH', `${scimBase(t.org)}/Groups/${groupId}`, addMembersBody(addIds));
      if (res.error) recorder.transportError();
      else recorder.record(res.status, res.ms);
      if (res.status >= 200 && res.status < 300) latencies.push(res.ms);
      verified.push((await countMembers(groupId)) === expected);
    }
  } finally {
    client.close();
  }
  return { latencies, recorder, verified };
}

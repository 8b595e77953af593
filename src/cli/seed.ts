import { randomBytes } from 'node:crypto';
import type { Services } from '../services/services';
import { cliActor } from '../domain/actor';
import type { MemberProfile } from '../domain/member-rules';

export interface SeedOptions {
  members: number;
  groups: number;
  concurrency: number;
}

/**
 * Provisions members (as a SCIM push would: INVITED with an e-mail, or STAGED) and creates groups,
 * each write its own service transaction. Members and groups interleave so that a burst looks like an
 * IdP sync; a group takes up to three of the members created before it.
 */
export async function seed(
  services: Services,
  organizationId: string,
  options: SeedOptions,
): Promise<{ members: number; groups: number }> {
  await services.organizations.get(cliActor(), organizationId); // unknown organization: fail before any write
  const run = randomBytes(4).toString('hex'); // lets several seeds of one organization run at once
  const created: string[] = [];
  const tasks: (() => Promise<void>)[] = [];
  const total = options.members + options.groups;
  let m = 0;
  let g = 0;
  for (let i = 0; i < total; i++) {
    const groupTurn = g < options.groups && (m >= options.members || (i + 1) * options.groups >= (g + 1) * total);
    if (groupTurn) {
      const n = g++;
      tasks.push(async () => {
        const memberIds = created.slice(-3);
        await services.groups.create(cliActor(), organizationId, {
          displayName: `Seed ${run} group ${n}`,
          externalId: `seed-${run}-g${n}`,
          memberIds,
        });
      });
    } else {
      const n = m++;
      tasks.push(async () => {
        const member = await services.memberProfiles.provision(cliActor(), organizationId, profile(run, n));
        created.push(member.id);
      });
    }
  }
  await inPool(tasks, options.concurrency);
  return { members: options.members, groups: options.groups };
}

function profile(run: string, n: number): MemberProfile {
  const email = `seed-${run}-${n}@seed.example`;
  return {
    email,
    userName: email,
    givenName: 'Seed',
    familyName: `User ${n}`,
    formattedName: `Seed User ${n}`,
    displayName: `Seed User ${n}`,
    externalId: `seed-${run}-${n}`,
    emails: [{ value: email, type: 'work', primary: true }],
    employeeNumber: null,
    department: null,
    manager: null,
  };
}

/** Runs the tasks in order with at most `concurrency` in flight; the first failure stops new ones. */
async function inPool(tasks: (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < tasks.length) {
      try {
        await tasks[next++]();
        // PGlite answers synchronously, so a loop of awaits on it never returns to the event loop: in the
        // server that would stall HTTP, timers (the outbox dispatcher) and other orgctl clients until the end.
        await new Promise((resolve) => setImmediate(resolve));
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
}

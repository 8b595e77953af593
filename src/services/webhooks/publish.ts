import { randomBytes } from 'node:crypto';
import { subscribes } from '../../domain/webhook-events';
import { type Transaction, flush } from '../../repositories/unit-of-work';
import { type NewWebhookEvent, WebhookOutboxRepository } from '../../repositories/webhook-outbox.repository';
import { groupView } from '../../read-models/group.view';
import { type MemberView, memberView } from '../../read-models/member.view';
import { actorBody, eventBody, groupBody, memberBody } from './event-body';
import { type EventDraft, eventDrafts } from './event-drafts';
import { type PendingChanges, peekPendingChanges, takePendingChanges } from './pending-changes';
import { type WebhookSubscriptions } from './subscriptions';

// A block of random bytes serves many ids: one system call per block rather than per event (randomUUID pools the
// same way).
const ID_BYTES = 16;
let entropy = Buffer.alloc(0);
let entropyOffset = 0;

/** A Standard Webhooks message id: the `webhook-id` header, the same on every attempt and for every endpoint. */
export function newMessageId(): string {
  if (entropyOffset + ID_BYTES > entropy.length) {
    entropy = randomBytes(ID_BYTES * 256);
    entropyOffset = 0;
  }
  const id = entropy.toString('base64url', entropyOffset, entropyOffset + ID_BYTES);
  entropyOffset += ID_BYTES;
  return `msg_${id}`;
}

type Render = (organizationId: string, drafts: EventDraft[]) => Promise<Record<string, unknown>[]>;

/** The events `changes` announce to each organization's subscribed endpoints, their data rendered by `render`. */
async function eventsOf(
  tx: Transaction,
  changes: PendingChanges,
  subscriptions: WebhookSubscriptions | undefined,
  render: Render,
): Promise<{ organizationId: string; events: NewWebhookEvent[] }[]> {
  const repo = new WebhookOutboxRepository(tx);
  const out: { organizationId: string; events: NewWebhookEvent[] }[] = [];
  const organizationIds = [...new Set(changes.audited.map((c) => c.event.organizationId))];
  for (const organizationId of organizationIds) {
    const read = () => repo.subscribedEndpoints(organizationId);
    const endpoints = subscriptions ? await subscriptions.endpoints(organizationId, read) : await read();
    if (!endpoints.length) continue;
    const mine = { ...changes, audited: changes.audited.filter((c) => c.event.organizationId === organizationId) };
    // Written when some endpoint wants it; its deliveries are added once it is numbered, after the commit.
    const wanted = eventDrafts(mine).filter((draft) => endpoints.some((e) => subscribes(e.eventTypes, draft.type)));
    if (!wanted.length) continue;
    const data = await render(organizationId, wanted);
    const events = wanted.map((draft, index): NewWebhookEvent => {
      const { actor, event } = mine.audited[draft.change];
      return {
        id: newMessageId(),
        type: draft.type,
        body: eventBody({
          type: draft.type,
          timestamp: event.occurredAt,
          organizationId,
          actor: actorBody(actor, event),
          data: data[index],
        }),
      };
    });
    out.push({ organizationId, events });
  }
  return out;
}

/**
 * The outbox's half of a write, run at the end of its transaction: the events its audited changes announce to
 * subscribed endpoints are written in that transaction (their deliveries follow when the dispatcher numbers them). A rolled-back change announces
 * nothing; a committed one is never lost. Most organizations have no endpoint: the list comes from memory
 * (see WebhookSubscriptions) and nothing is written.
 */
export async function publishWebhookEvents(tx: Transaction, subscriptions?: WebhookSubscriptions): Promise<void> {
  const changes = takePendingChanges(tx);
  if (!changes) return;
  const repo = new WebhookOutboxRepository(tx);
  const render: Render = async (organizationId, drafts) => {
    await flush(tx); // the bodies are the resources after the change
    return renderData(repo, organizationId, drafts);
  };
  for (const { organizationId, events } of await eventsOf(tx, changes, subscriptions, render))
    await repo.insert(organizationId, events);
}

/**
 * For a write that stores its change in one statement (the SCIM create) and its events in that same statement: the
 * events its changes so far announce, taken from the transaction's notes, with `members` as the statement will store
 * them. Empty when no endpoint wants them, or when a change concerns anything but these members: its notes then stay
 * for publishWebhookEvents at the transaction's end, as for any write.
 */
export async function takeWebhookEventsOf(
  tx: Transaction,
  members: MemberView[],
  subscriptions?: WebhookSubscriptions,
): Promise<NewWebhookEvent[]> {
  const changes = peekPendingChanges(tx);
  if (!changes || changes.groupMembers.size) return [];
  const known = new Map(members.map((m) => [m.id, m]));
  const drafts = eventDrafts(changes);
  if (!drafts.every((d) => d.subject.kind === 'member' && known.has(d.subject.id))) return [];
  takePendingChanges(tx);
  const render: Render = async (_organizationId, wanted) =>
    wanted.map((d) => memberBody(known.get((d.subject as { id: string }).id)!));
  return (await eventsOf(tx, changes, subscriptions, render)).flatMap((o) => o.events);
}

/** Each draft's `data`: the member or group as it now is (one read per kind), or what is left of a deleted one. */
async function renderData(
  repo: WebhookOutboxRepository,
  organizationId: string,
  drafts: EventDraft[],
): Promise<Record<string, unknown>[]> {
  const ids = (kind: 'member' | 'group') => [
    ...new Set(drafts.flatMap((d) => (d.subject.kind === kind ? [d.subject.id] : []))),
  ];
  const members = new Map((await repo.members(organizationId, ids('member'))).map((m) => [m.id, memberView(m)]));
  const groups = new Map((await repo.groups(organizationId, ids('group'))).map((g) => [g.id, groupView(g)]));
  const scim = drafts.some((d) => d.subject.kind === 'scimSettings') ? await repo.scimSettings(organizationId) : null;
  return drafts.map(({ subject }): Record<string, unknown> => {
    switch (subject.kind) {
      case 'member': {
        const member = members.get(subject.id);
        return member ? memberBody(member) : { id: subject.id };
      }
      case 'removedMember':
        return { id: subject.id, email: subject.email ?? null };
      case 'group': {
        const group = groups.get(subject.id);
        return group ? groupBody(group) : { id: subject.id };
      }
      case 'deletedGroup':
        return { id: subject.id, displayName: subject.displayName ?? null };
      case 'groupMembers':
        return { groupId: subject.groupId, memberIds: subject.memberIds };
      case 'scimSettings':
        return {
          enabled: scim?.enabled ?? false,
          provider: scim?.provider ?? null,
          inviteUsersAfterProvisioning: scim?.inviteUsersAfterProvisioning ?? true,
        };
      case 'scimKey':
        return { keyId: subject.keyId ?? null };
    }
  });
}

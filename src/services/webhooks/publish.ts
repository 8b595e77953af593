import { randomBytes, randomUUID } from 'node:crypto';
import { subscribes } from '../../domain/webhook-events';
import { type Transaction, flush } from '../../repositories/unit-of-work';
import { type NewWebhookEvent, WebhookOutboxRepository } from '../../repositories/webhook-outbox.repository';
import { groupView } from '../../read-models/group.view';
import { memberView } from '../../read-models/member.view';
import { actorBody, eventBody, groupBody, memberBody } from './event-body';
import { type EventDraft, eventDrafts } from './event-drafts';
import { takePendingChanges } from './pending-changes';
import { type WebhookSubscriptions } from './subscriptions';

/** A Standard Webhooks message id: the `webhook-id` header, the same on every attempt and for every endpoint. */
export const newMessageId = (): string => `msg_${randomBytes(16).toString('base64url')}`;

/**
 * The outbox's half of a write, run at the end of its transaction: the events its audited changes announce are
 * written, with one delivery per subscribed endpoint, in that transaction. A rolled-back change announces
 * nothing; a committed one is never lost. Most organizations have no endpoint: the list comes from memory
 * (see WebhookSubscriptions) and nothing is written.
 */
export async function publishWebhookEvents(tx: Transaction, subscriptions?: WebhookSubscriptions): Promise<void> {
  const changes = takePendingChanges(tx);
  if (!changes) return;
  const repo = new WebhookOutboxRepository(tx);
  const organizationIds = [...new Set(changes.audited.map((c) => c.event.organizationId))];
  for (const organizationId of organizationIds) {
    const read = () => repo.subscribedEndpoints(organizationId);
    const endpoints = subscriptions ? await subscriptions.endpoints(organizationId, read) : await read();
    if (!endpoints.length) continue;
    const mine = { ...changes, audited: changes.audited.filter((c) => c.event.organizationId === organizationId) };
    const wanted = eventDrafts(mine)
      .map((draft) => ({ draft, endpointIds: endpoints.filter((e) => subscribes(e.eventTypes, draft.type)) }))
      .filter(({ endpointIds }) => endpointIds.length);
    if (!wanted.length) continue;
    await flush(tx); // the bodies are the resources after the change
    const data = await renderData(
      repo,
      organizationId,
      wanted.map((w) => w.draft),
    );
    const events: NewWebhookEvent[] = wanted.map(({ draft, endpointIds }, index) => {
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
        deliveries: endpointIds.map((endpoint) => ({ id: randomUUID(), endpointId: endpoint.id })),
      };
    });
    await repo.insert(organizationId, events);
  }
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

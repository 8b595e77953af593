import { AccountEvent } from './account-event.entity';
import { ApiKey } from './api-key.entity';
import { AuditEvent } from './audit-event.entity';
import { GroupMembership } from './group-membership.entity';
import { Group } from './group.entity';
import { HeldDeprovisioning } from './held-deprovisioning.entity';
import { Member } from './member.entity';
import { Organization } from './organization.entity';
import { OutboxMessage } from './outbox-message.entity';
import { RateLimit } from './rate-limit.entity';
import { ScimRequestLog } from './scim-request-log.entity';
import { ScimSettings } from './scim-settings.entity';
import { Session } from './session.entity';
import { SignInLink } from './sign-in-link.entity';
import { User } from './user.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookSequence } from './webhook-sequence.entity';

export {
  AccountEvent,
  ApiKey,
  AuditEvent,
  Group,
  GroupMembership,
  HeldDeprovisioning,
  Member,
  Organization,
  OutboxMessage,
  RateLimit,
  ScimRequestLog,
  ScimSettings,
  Session,
  SignInLink,
  User,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
  WebhookSequence,
};

export const entities = [
  Organization,
  User,
  Member,
  Group,
  GroupMembership,
  ScimSettings,
  ApiKey,
  AuditEvent,
  OutboxMessage,
  ScimRequestLog,
  RateLimit,
  AccountEvent,
  Session,
  SignInLink,
  WebhookEndpoint,
  WebhookEvent,
  WebhookDelivery,
  WebhookSequence,
  HeldDeprovisioning,
];

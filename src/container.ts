import path from 'node:path';
import type pino from 'pino';
import { type Config } from './config';
import { type Orm } from './db';
import { createMetrics } from './http/metrics';
import { createRateLimits } from './http/rate-limit';
import { type TransportDeps } from './http/transport-deps';
import { type DatabaseTarget, databaseTarget } from './database-target';
import { ChangeListener } from './repositories/change-notifications';
import { RateLimitStore } from './repositories/rate-limit-store';
import { AuditService } from './services/audit.service';
import { ExportService } from './services/export.service';
import { type ServiceDeps } from './services/base';
import { CredentialCache } from './services/credential-cache';
import { GroupService } from './services/group.service';
import { GroupRoleService } from './services/group-roles';
import { HeldDeprovisioningService } from './services/held-deprovisioning.service';
import { IdentityService } from './services/identity.service';
import { OidcSignInService } from './services/oidc-sign-in.service';
import { MemberLifecycleService } from './services/member-lifecycle.service';
import { MemberProfileService } from './services/member-profile.service';
import { OrganizationService } from './services/organization.service';
import { OutboxDispatcher } from './services/outbox-dispatcher';
import { ScimRequestLogService } from './services/scim-request-log.service';
import { ScimSettingsService } from './services/scim-settings.service';
import { SessionService } from './services/session.service';
import { SignInService } from './services/sign-in.service';
import { TokenService } from './services/token.service';
import { LastUsedStamps } from './services/last-used-stamps';
import { MailFolder } from './services/mail-folder';
import { WebhookDispatcher } from './services/webhook-dispatcher';
import { WebhookSubscriptions } from './services/webhooks/subscriptions';
import { WebhookService } from './services/webhook.service';
import { SecretBox, secretKeyLoader } from './services/webhooks/secret-box';

/** The composition root's object graph. No side effects here: main.ts starts things. */
export interface Container extends TransportDeps {
  orm: Orm;
  dispatcher: OutboxDispatcher;
  /** Delivers webhook events; main.ts starts and stops it like the mail dispatcher. */
  webhookDispatcher: WebhookDispatcher;
  /**
   * On PostgreSQL, hears credential changes made by any instance and keeps the credential cache honest; main.ts
   * starts it (until then the cache is bypassed). Null on PGlite, where this process makes every change itself.
   */
  changeListener: ChangeListener | null;
}

/**
 * `target` names the database the rate-limit counters live in and the credential listener listens on (defaults to
 * the configured one).
 */
export function createContainer(config: Config, orm: Orm, logger: pino.Logger, target?: DatabaseTarget): Container {
  const database = target ?? databaseTarget(config.DATABASE_URL, config.DATA_DIR);
  // Trusted at once over PGlite (this process makes every change); on PostgreSQL once the listener is in place.
  const webhookSubscriptions = new WebhookSubscriptions(!(database.kind === 'postgres' && database.url));
  const deps: ServiceDeps = { orm, config, logger, webhookSubscriptions };
  const metrics = config.METRICS_TOKEN || config.METRICS_PORT ? createMetrics(orm) : null;
  const changeListener =
    database.kind === 'postgres' && database.url
      ? new ChangeListener(
          database.url,
          {
            onChange: (change) =>
              change.kind === 'webhooks'
                ? webhookSubscriptions.invalidate(change.organizationId)
                : credentials.invalidate(change),
            onListening: (listening) => {
              credentials.setListening(listening);
              webhookSubscriptions.setListening(listening);
            },
          },
          logger.child({ component: 'credential-listener' }),
        )
      : null;
  const credentials = new CredentialCache(!changeListener);
  const stamps = new LastUsedStamps(deps);
  const tokens = new TokenService(deps, credentials, stamps);
  const sessions = new SessionService(deps, credentials);
  const memberLifecycle = new MemberLifecycleService(deps);
  const identity = new IdentityService(deps);
  const mail = new MailFolder(path.resolve(config.DATA_DIR, 'mail'));
  // A throwaway in-memory database gets a throwaway key; otherwise WEBHOOK_SECRET_KEY or a key kept in DATA_DIR.
  const webhookSecrets = new SecretBox(
    secretKeyLoader(config.WEBHOOK_SECRET_KEY, database.kind === 'pglite-memory' ? null : config.DATA_DIR),
  );
  return {
    config,
    orm,
    logger,
    services: {
      organizations: new OrganizationService(deps),
      memberLifecycle,
      memberProfiles: new MemberProfileService(deps),
      groups: new GroupService(deps),
      groupRoles: new GroupRoleService(deps),
      scimSettings: new ScimSettingsService(deps, credentials, stamps),
      scimRequestLog: new ScimRequestLogService(deps),
      tokens,
      lastUsed: stamps,
      audit: new AuditService(deps),
      exports: new ExportService(deps),
      sessions,
      signIn: new SignInService(deps, { tokens, sessions, memberLifecycle }),
      identity,
      oidcSignIn: new OidcSignInService(deps, { identity, sessions }),
      mail,
      webhooks: new WebhookService(deps, webhookSecrets),
      heldDeprovisionings: new HeldDeprovisioningService(deps, memberLifecycle),
    },
    webhookDispatcher: new WebhookDispatcher(orm, webhookSecrets, logger.child({ component: 'webhooks' }), {
      allowPrivateNetworks: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
      publicUrl: config.PUBLIC_URL,
    }),
    dispatcher: new OutboxDispatcher(orm, logger.child({ component: 'outbox' }), {
      smtpUrl: config.SMTP_URL,
      from: config.SMTP_FROM,
      mailFolder: mail,
      onDeliveryFailure: metrics ? () => metrics.outboxDeliveryFailed() : undefined,
    }),
    changeListener,
    rateLimits: createRateLimits(
      database.kind === 'postgres' && database.url ? new RateLimitStore(database.url) : null,
      {
        scimPerSecond: config.SCIM_RATE_LIMIT_PER_SECOND,
        scimBurst: config.SCIM_RATE_LIMIT_BURST,
        graphqlPoints: config.GRAPHQL_RATE_LIMIT,
        authFailurePoints: config.AUTH_FAILURE_RATE_LIMIT,
        windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
      },
    ),
    metrics,
  };
}

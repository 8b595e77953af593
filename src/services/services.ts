import { type AuditService } from './audit.service';
import { type ExportService } from './export.service';
import { type GroupService } from './group.service';
import { type GroupRoleService } from './group-roles';
import { type HeldDeprovisioningService } from './held-deprovisioning.service';
import { type IdentityService } from './identity.service';
import { type LastUsedStamps } from './last-used-stamps';
import { type MailFolder } from './mail-folder';
import { type MemberLifecycleService } from './member-lifecycle.service';
import { type MemberProfileService } from './member-profile.service';
import { type OidcSignInService } from './oidc-sign-in.service';
import { type OrganizationService } from './organization.service';
import { type ScimRequestLogService } from './scim-request-log.service';
import { type ScimSettingsService } from './scim-settings.service';
import { type SessionService } from './session.service';
import { type SignInService } from './sign-in.service';
import { type TokenService } from './token.service';
import { type WebhookService } from './webhook.service';

/** The use cases every transport calls; the composition root (src/container.ts) builds them. */
export interface Services {
  organizations: OrganizationService;
  /** The member lifecycle: invite, accept, confirm, revoke, restore, remove. */
  memberLifecycle: MemberLifecycleService;
  /** The members read, provisioned over SCIM, and their profile, role and `active` updated. */
  memberProfiles: MemberProfileService;
  groups: GroupService;
  /** Group role mappings and members whose role follows their groups. */
  groupRoles: GroupRoleService;
  scimSettings: ScimSettingsService;
  scimRequestLog: ScimRequestLogService;
  tokens: TokenService;
  /** Keys' and tokens' last use, written in batches; main.ts flushes it at shutdown. */
  lastUsed: LastUsedStamps;
  audit: AuditService;
  /** The CSV exports of the member list and the event log, read page by page. */
  exports: ExportService;
  sessions: SessionService;
  signIn: SignInService;
  identity: IdentityService;
  oidcSignIn: OidcSignInService;
  /** DATA_DIR/mail: the messages written instead of sent when SMTP_URL is unset (orgctl mail). */
  mail: MailFolder;
  webhooks: WebhookService;
  heldDeprovisionings: HeldDeprovisioningService;
}

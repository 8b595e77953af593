import { type Actor } from '../domain/actor';
import { type ScimProvider } from '../domain/enums';
import { isUuid } from '../domain/ids';
import { scimProviderName } from '../domain/scim-providers';
import { type SafeguardSettings, assertSafeguardSettings } from '../domain/deprovisioning-safeguard';
import { ScimKeyStatus, previousKeyValidUntil } from '../domain/scim-key-rules';
import { type Organization } from '../entities';
import { ApiKeyRepository } from '../repositories/api-key.repository';
import { ScimSettingsRepository } from '../repositories/scim-settings.repository';
import { type Transaction, flush } from '../repositories/unit-of-work';
import { type Access, authorize } from './access';
import { DomainError, ErrorCode } from '../domain/errors';
import { recordAudit } from './audit';
import { type ScimRotationRecommendation, rotationRecommendation } from './scim-key-exposure';
import { notifyCredentialChange } from '../repositories/change-notifications';
import { BaseService, type ServiceDeps } from './base';
import { type LastUsedStamps } from './last-used-stamps';
import { type CredentialCache, type ScimKeyCheck } from './credential-cache';
import { type ApiKeyView, apiKeyView } from '../read-models/api-key.view';
import { generateSecret, hashSecret, sameHash, secretHint, LAST_USED_RESOLUTION_MS } from './secrets';

export interface ScimSettingsView {
  readonly settings: {
    readonly enabled: boolean;
    readonly provider: ScimProvider;
    readonly inviteUsersAfterProvisioning: boolean;
    readonly deprovisioningSafeguard: SafeguardSettings;
  };
  /** The current key (its hint and dates, never the secret), or null when SCIM has none. */
  readonly apiKey: ApiKeyView | null;
  /** The key a rotation left working beside the current one, until its `expiresAt`; null when there is none. */
  readonly previousKey: ApiKeyView | null;
  readonly endpointUrl: string;
  /** Whether the viewer may enable or disable SCIM and rotate its key. */
  readonly viewerCanManageKeys: boolean;
  /** Someone who could handle the key lost that right after it was issued: rotate it. */
  readonly rotationRecommended: ScimRotationRecommendation | null;
}

export interface ScimSettingsChanges {
  enabled?: boolean;
  provider?: ScimProvider;
  inviteUsersAfterProvisioning?: boolean;
  deprovisioningSafeguard?: Partial<SafeguardSettings>;
}

/**
 * SCIM provisioning settings of an organization, its current API key and, for a bounded overlap after a rotation,
 * its previous key.
 */
export class ScimSettingsService extends BaseService {
  constructor(
    deps: ServiceDeps,
    private readonly cache: CredentialCache,
    private readonly stamps: LastUsedStamps,
  ) {
    super(deps);
  }

  endpointUrl(organizationId: string): string {
    return `${this.deps.config.PUBLIC_URL}/scim/v2/${organizationId}`;
  }

  /**
   * Who manages the organization's SCIM-provisioned members and groups, by name ("JumpCloud"): null while SCIM is
   * off (nothing would undo a change made here). Anyone who sees the organization may read it; it names no secret.
   */
  async managedByName(actor: Actor, organizationId: string): Promise<string | null> {
    return this.read(async (em) => {
      await authorize(em, actor, organizationId, 'viewOrganization', { loadOrganization: false });
      const settings = await new ScimSettingsRepository(em).find(organizationId);
      return settings?.enabled ? scimProviderName(settings.provider) : null;
    });
  }

  async get(actor: Actor, organizationId: string): Promise<ScimSettingsView> {
    await this.stamps.flush();
    return this.read(async (em) => {
      const access = await authorize(em, actor, organizationId, 'viewOrganization');
      if (!access.capabilities.manageScim && !access.capabilities.manageScimKeys)
        throw forbiddenScim('read SCIM settings');
      return this.view(em, organizationId, access);
    });
  }

  /**
   * Provider and staged mode need `manageScim`; turning SCIM on or off needs `manageScimKeys` (owner authority):
   * enabling an organization without a current key issues one, returned in clear this once, and disabling deletes
   * the key, so a later enable never brings the old one back.
   */
  async update(
    actor: Actor,
    organizationId: string,
    changes: ScimSettingsChanges,
  ): Promise<{ view: ScimSettingsView; apiKey: string | null }> {
    return this.changing(organizationId, async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'viewOrganization');
      const settingsRepository = new ScimSettingsRepository(tx);
      await settingsRepository.lockForKeyChange(organizationId);
      const settings = await settingsRepository.getOrCreate(access.organization);
      const hasKey = await new ApiKeyRepository(tx).hasScimKey(organizationId);
      const enabling = changes.enabled === true && (!settings.enabled || !hasKey);
      const disabling = changes.enabled === false && (settings.enabled || hasKey);
      const settingsChange = changes.provider !== undefined || changes.inviteUsersAfterProvisioning !== undefined;
      const safeguard = changes.deprovisioningSafeguard && dropUndefined(changes.deprovisioningSafeguard);
      if (safeguard) assertSafeguardSettings(safeguard);
      // The safeguard limits what a SCIM key can do to the organization at once, owners included: owner authority.
      if (safeguard && !access.capabilities.manageScimKeys) throw forbiddenKeys('change the deprovisioning safeguard');
      if ((enabling || disabling) && !access.capabilities.manageScimKeys)
        throw forbiddenKeys(enabling ? 'enable SCIM' : 'disable SCIM');
      if (settingsChange && !access.capabilities.manageScim) throw forbiddenScim('change SCIM settings');
      if (!access.capabilities.manageScim && !access.capabilities.manageScimKeys)
        throw forbiddenScim('change SCIM settings');
      const { deprovisioningSafeguard: _safeguard, ...plain } = changes;
      Object.assign(settings, dropUndefined(plain));
      if (safeguard?.enabled !== undefined) settings.deprovisioningSafeguardEnabled = safeguard.enabled;
      if (safeguard?.threshold !== undefined) settings.deprovisioningThreshold = safeguard.threshold;
      if (safeguard?.windowMinutes !== undefined) settings.deprovisioningWindowMinutes = safeguard.windowMinutes;
      let apiKey: string | null = null;
      let keyId: string | null = null;
      if (enabling) ({ key: apiKey, id: keyId } = await this.replaceKey(tx, access.organization));
      if (disabling) await new ApiKeyRepository(tx).deleteScimKeys(organizationId);
      const type =
        changes.enabled === true
          ? 'scim.enabled'
          : changes.enabled === false
            ? 'scim.disabled'
            : 'scim.settings_updated';
      recordAudit(
        tx,
        actor,
        organizationId,
        type,
        { type: 'scim', id: organizationId },
        {
          ...dropUndefined(plain),
          ...(safeguard ? { deprovisioningSafeguard: safeguard } : {}),
          ...(keyId ? { keyId } : {}),
        },
        access.membership?.id,
      );
      await flush(tx);
      return { view: await this.view(tx, organizationId, access), apiKey };
    });
  }

  /** Enables SCIM and issues a fresh key (CLI `scim enable`); the key is returned in clear this once. */
  async enable(
    actor: Actor,
    organizationId: string,
    changes: Omit<ScimSettingsChanges, 'enabled' | 'deprovisioningSafeguard'>,
  ): Promise<{ view: ScimSettingsView; apiKey: string }> {
    return this.changing(organizationId, async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageScimKeys');
      const settingsRepository = new ScimSettingsRepository(tx);
      await settingsRepository.lockForKeyChange(organizationId);
      const settings = await settingsRepository.getOrCreate(access.organization);
      Object.assign(settings, { ...dropUndefined(changes), enabled: true });
      const { key: apiKey, id: keyId } = await this.replaceKey(tx, access.organization);
      recordAudit(
        tx,
        actor,
        organizationId,
        'scim.enabled',
        { type: 'scim', id: organizationId },
        { ...dropUndefined(changes), keyId },
        access.membership?.id,
      );
      await flush(tx);
      return { view: await this.view(tx, organizationId, access), apiKey };
    });
  }

  /**
   * A new key. The old one stops working with this commit, or, given `previousKeyValidMinutes` (at most 7 days),
   * keeps working beside the new one until then, so the identity provider can be switched without a failed sync.
   * A key from an earlier overlap ends now: there is never more than one previous key. Owner authority: a SCIM key
   * may manage owners.
   */
  async rotateKey(
    actor: Actor,
    organizationId: string,
    options: { previousKeyValidMinutes?: number } = {},
  ): Promise<{ view: ScimSettingsView; apiKey: string }> {
    return this.changing(organizationId, async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageScimKeys');
      const validUntil = previousKeyValidUntil(options.previousKeyValidMinutes, new Date());
      const settings = new ScimSettingsRepository(tx);
      await settings.lockForKeyChange(organizationId);
      await settings.getOrCreate(access.organization);
      const { key: apiKey, id: keyId } = await this.replaceKey(tx, access.organization, validUntil);
      recordAudit(
        tx,
        actor,
        organizationId,
        'scim.key_rotated',
        { type: 'scim', id: organizationId },
        { keyId, ...(validUntil ? { previousKeyValidUntil: validUntil.toISOString() } : {}) },
        access.membership?.id,
      );
      await flush(tx);
      return { view: await this.view(tx, organizationId, access), apiKey };
    });
  }

  /**
   * Ends a rotation's overlap early: the previous key stops working with this commit, on every instance as after a
   * rotation. Nothing to end (no overlap, or it is over) is not an error: the outcome asked for holds.
   */
  async revokePreviousKey(actor: Actor, organizationId: string): Promise<ScimSettingsView> {
    return this.changing(organizationId, async (tx) => {
      const access = await authorize(tx, actor, organizationId, 'manageScimKeys');
      await new ScimSettingsRepository(tx).lockForKeyChange(organizationId);
      const keys = new ApiKeyRepository(tx);
      const previous = await keys.previousScimKey(organizationId);
      await keys.deleteRetiredScimKeys(organizationId);
      if (previous)
        recordAudit(
          tx,
          actor,
          organizationId,
          'scim.previous_key_revoked',
          { type: 'scim', id: organizationId },
          { keyId: previous.id },
          access.membership?.id,
        );
      await flush(tx);
      return this.view(tx, organizationId, access);
    });
  }

  /** `checkKey` for the SCIM transport, answered from memory when this organization's key was verified recently. */
  async authenticateKey(organizationId: string, presented: string): Promise<ScimKeyCheck> {
    return this.cache.scimKey(organizationId, presented, () => this.checkKey(organizationId, presented));
  }

  /** True when `presented` is a working key of this organization (current, or previous in its overlap) and SCIM is enabled. */
  async verifyKey(organizationId: string, presented: string): Promise<boolean> {
    return typeof (await this.checkKey(organizationId, presented)) === 'object';
  }

  /**
   * The key's id and hint, whether it is the current key or the previous one in its overlap (and until when that
   * lasts), and the organization's configured provider (for the audit trail and the provisioning log): `presented`
   * is a working key of this organization and SCIM is enabled. `rejected`: SCIM is enabled for this organization
   * but the key is not one of its working keys (rotated out, past its overlap, another organization's key).
   * `unknown`: no such organization, or SCIM is off. One indexed query; the hashes are compared in constant time;
   * the key itself is never logged. The caller answers the same 401 for `rejected` and `unknown`.
   */
  async checkKey(organizationId: string, presented: string): Promise<ScimKeyCheck> {
    if (!isUuid(organizationId)) return 'unknown';
    const keys = new ApiKeyRepository(this.em());
    const rows = await keys.scimKeyCandidates(organizationId);
    if (!rows.length) return 'unknown';
    if (!presented || presented.length > 200) return 'rejected';
    const hash = hashSecret(presented);
    const match = rows.find((row) => sameHash(row.hash, hash));
    if (!match) return 'rejected';
    const last = match.lastUsedAt?.getTime() ?? 0;
    if (Date.now() - last > LAST_USED_RESOLUTION_MS) this.stamps.stamp(match.id);
    return {
      keyId: match.id,
      provider: match.provider,
      hint: match.hint,
      status: match.expiresAt ? ScimKeyStatus.PREVIOUS : ScimKeyStatus.CURRENT,
      validUntil: match.expiresAt,
    };
  }

  /**
   * A write that changes what the organization's SCIM key check answers (its key, enabled, provider): announced to
   * every instance with the commit, and forgotten here as soon as it has committed.
   */
  private async changing<T>(organizationId: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await this.write(async (tx) => {
      const value = await work(tx);
      await notifyCredentialChange(tx, { kind: 'scim', organizationId });
      return value;
    });
    this.cache.invalidate({ kind: 'scim', organizationId });
    return result;
  }

  /** Issues the new current key; the old one is deleted, or kept working until `previousValidUntil`. */
  private async replaceKey(
    tx: Transaction,
    organization: Organization,
    previousValidUntil: Date | null = null,
  ): Promise<{ key: string; id: string }> {
    const keys = new ApiKeyRepository(tx);
    if (previousValidUntil) {
      await keys.deleteRetiredScimKeys(organization.id);
      await keys.retireCurrentScimKey(organization.id, previousValidUntil);
    } else {
      await keys.deleteScimKeys(organization.id);
    }
    const key = generateSecret('scim');
    const row = keys.createScimKey(organization, { hash: hashSecret(key), hint: secretHint(key), name: 'SCIM key' });
    return { key, id: row.id };
  }

  private async view(em: Transaction, organizationId: string, access: Access): Promise<ScimSettingsView> {
    const settings = await new ScimSettingsRepository(em).get(organizationId);
    const keys = new ApiKeyRepository(em);
    const apiKey = await keys.currentScimKey(organizationId);
    const previousKey = apiKey && (await keys.previousScimKey(organizationId));
    return {
      settings: {
        enabled: settings.enabled,
        provider: settings.provider,
        inviteUsersAfterProvisioning: settings.inviteUsersAfterProvisioning,
        deprovisioningSafeguard: {
          enabled: settings.deprovisioningSafeguardEnabled,
          threshold: settings.deprovisioningThreshold,
          windowMinutes: settings.deprovisioningWindowMinutes,
        },
      },
      apiKey: apiKey && apiKeyView(apiKey),
      previousKey: previousKey ? apiKeyView(previousKey) : null,
      endpointUrl: this.endpointUrl(organizationId),
      viewerCanManageKeys: access.capabilities.manageScimKeys,
      rotationRecommended: apiKey && (await rotationRecommendation(em, organizationId, apiKey.createdAt)),
    };
  }
}

const forbiddenScim = (what: string) =>
  new DomainError(ErrorCode.FORBIDDEN, `not allowed to ${what} in this organization`);
const forbiddenKeys = (what: string) =>
  new DomainError(
    ErrorCode.FORBIDDEN,
    `not allowed to ${what}: SCIM keys may manage owners, so only an owner (or a member given manageScimKeys by one) may`,
  );

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

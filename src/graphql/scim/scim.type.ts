import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ScimProvider } from '../../domain/enums';
import { ScimKeyStatus } from '../../domain/scim-key-rules';
import { type ScimRequestLogView } from '../../read-models/log.view';
import { ScimSettingsView } from '../../services/scim-settings.service';
import { connectionOf } from '../common/connection.type';
import '../common/enums';
import { DeprovisioningSafeguardNode } from './safeguard.type';

registerEnumType(ScimKeyStatus, {
  name: 'ScimApiKeyStatus',
  description: 'Which of the working SCIM keys a request used.',
  valuesConfig: {
    CURRENT: { description: 'The key issued last.' },
    PREVIOUS: { description: "The key it replaced, still working until the end of the rotation's overlap." },
  },
});

@ObjectType('ScimApiKey', {
  description: 'The current SCIM API key; only a hint of it is ever shown again after it was issued.',
})
export class ScimApiKey {
  @Field(() => String, { description: 'The last characters of the key.' })
  hint!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the key was issued.' })
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the identity provider last used it (minute resolution).',
  })
  lastUsedAt!: Date | null;
}

@ObjectType('ScimPreviousApiKey', {
  description:
    'The key a rotation left working beside the new one, so the identity provider can be switched without a failed sync.',
})
export class ScimPreviousApiKey {
  @Field(() => String, { description: 'The last characters of the key.' })
  hint!: string;

  @Field(() => GraphQLISODateTime, {
    description: 'When the key stops working (scimPreviousKeyRevoke ends it sooner).',
  })
  validUntil!: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the identity provider last used it (minute resolution): once it stays behind, the provider has switched.',
  })
  lastUsedAt!: Date | null;
}

@ObjectType('ScimRotationRecommendation', {
  description:
    'A member who could enable SCIM and rotate its key (an owner, or manageScimKeys) lost that right after the current key was issued: it may have seen the key, so rotate it.',
})
export class ScimRotationRecommendation {
  @Field(() => String, { description: 'How the member lost the right: REMOVED, REVOKED or DEMOTED.' })
  reason!: string;

  @Field(() => String, { description: "The member's e-mail address." })
  memberEmail!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the member lost the right.' })
  since!: Date;
}

@ObjectType('ScimSettings', {
  description: 'SCIM 2.0 provisioning of the organization: what to copy into the identity provider.',
})
export class ScimSettingsNode {
  @Field(() => Boolean, { description: 'Whether the SCIM endpoint accepts requests.' })
  enabled!: boolean;

  @Field(() => ScimProvider, { description: 'The identity provider in use.' })
  provider!: ScimProvider;

  @Field(() => Boolean, {
    description: 'true: provisioned users are INVITED by e-mail; false: they are STAGED silently.',
  })
  inviteUsersAfterProvisioning!: boolean;

  @Field(() => DeprovisioningSafeguardNode, {
    description: 'How many SCIM deprovisionings apply at once before the next are held for a person to decide.',
  })
  deprovisioningSafeguard!: DeprovisioningSafeguardNode;

  @Field(() => String, { description: 'The SCIM base URL to paste into the identity provider.' })
  endpointUrl!: string;

  @Field(() => ScimApiKey, {
    nullable: true,
    description: 'The current API key (hint only); null while SCIM has never been enabled or is disabled.',
  })
  apiKey!: ScimApiKey | null;

  @Field(() => ScimPreviousApiKey, {
    nullable: true,
    description: 'The previous API key while it still works after a rotation (hint only); null when there is none.',
  })
  previousKey!: ScimPreviousApiKey | null;

  @Field(() => Boolean, {
    description:
      'Whether the viewer may enable or disable SCIM and rotate the key (OWNER, or CUSTOM with manageScimKeys).',
  })
  viewerCanManageKeys!: boolean;

  @Field(() => ScimRotationRecommendation, {
    nullable: true,
    description:
      'Set when someone who could handle the SCIM key lost that right after the key was issued (the latest such change); null once the key is rotated.',
  })
  rotationRecommended!: ScimRotationRecommendation | null;

  organizationId!: string;

  static from(view: ScimSettingsView, organizationId: string): ScimSettingsNode {
    return Object.assign(new ScimSettingsNode(), {
      organizationId,
      enabled: view.settings.enabled,
      provider: view.settings.provider,
      inviteUsersAfterProvisioning: view.settings.inviteUsersAfterProvisioning,
      deprovisioningSafeguard: { ...view.settings.deprovisioningSafeguard },
      endpointUrl: view.endpointUrl,
      viewerCanManageKeys: view.viewerCanManageKeys,
      rotationRecommended: view.rotationRecommended && { ...view.rotationRecommended },
      apiKey: view.apiKey
        ? { hint: view.apiKey.hint, createdAt: view.apiKey.createdAt, lastUsedAt: view.apiKey.lastUsedAt }
        : null,
      previousKey: view.previousKey?.expiresAt
        ? {
            hint: view.previousKey.hint,
            validUntil: view.previousKey.expiresAt,
            lastUsedAt: view.previousKey.lastUsedAt,
          }
        : null,
    });
  }
}

@ObjectType('ScimRequestTarget', {
  description: 'The member or group a SCIM request concerned, named as it is now.',
})
export class ScimRequestTarget {
  @Field(() => String, { description: 'member or group.' })
  type!: string;

  @Field(() => ID, { description: 'Its id (link to the member or group with it).' })
  id!: string;

  @Field(() => String, { nullable: true, description: "The member's email; null for a group, or once deleted." })
  email!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The member's display name (or userName), or the group's name; null once deleted.",
  })
  name!: string | null;
}

@ObjectType('ScimRequestLogEntry', {
  description: 'One SCIM request as received from the identity provider (no bodies, no secrets).',
})
export class ScimRequestLogEntry {
  @Field(() => ID, { description: 'Id of the log entry.' })
  id!: string;

  @Field(() => GraphQLISODateTime, { description: 'When the request arrived.' })
  occurredAt!: Date;

  @Field(() => String, { description: 'HTTP method.' })
  method!: string;

  @Field(() => String, { description: 'Request path, without the query string.' })
  path!: string;

  @Field(() => String, {
    nullable: true,
    description: "The identity provider guessed from the request's User-Agent (clientName is who sent it).",
  })
  client!: string | null;

  @Field(() => String, {
    description:
      'Who sent it: the provider configured for the SCIM key it authenticated with (e.g. "JumpCloud"), or "rejected key" when no working key came with it.',
  })
  clientName!: string;

  @Field(() => Boolean, {
    description:
      'The request was refused for its key (a stranger, or an identity provider still holding a rotated-out key): counted apart, never blamed on the client.',
  })
  rejectedKey!: boolean;

  @Field(() => ScimRequestTarget, {
    nullable: true,
    description: 'The member or group the request concerned; null for lists and searches.',
  })
  target!: ScimRequestTarget | null;

  @Field(() => Int, { description: 'HTTP status of the response.' })
  status!: number;

  @Field(() => Int, { description: 'Time taken, in milliseconds.' })
  durationMs!: number;

  @Field(() => String, {
    nullable: true,
    description: 'What changed, or the error detail; a success that left something undone says what (see warning).',
  })
  summary!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'What a success still left undone, e.g. "skipped 1 unknown member: …" or "deactivation held by the deprovisioning safeguard"; null when nothing.',
  })
  warning!: string | null;

  @Field(() => Boolean, { description: 'Whether the entry has a warning.' })
  hasWarning!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The request id (X-Request-Id), to find the request in the logs.',
  })
  requestId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The SCIM API key the request authenticated with (its id); null when no key was accepted.',
  })
  apiKeyId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The last characters of that key, as the settings show them; null when no key was accepted.',
  })
  apiKeyHint!: string | null;

  @Field(() => ScimKeyStatus, {
    nullable: true,
    description:
      'Whether that key was the current key or the previous one, still in its overlap after a rotation: the first request with CURRENT shows when the identity provider switched.',
  })
  apiKeyStatus!: ScimKeyStatus | null;

  static from(l: ScimRequestLogView): ScimRequestLogEntry {
    return Object.assign(new ScimRequestLogEntry(), {
      ...l,
      hasWarning: l.warning !== null,
      target: l.target && Object.assign(new ScimRequestTarget(), l.target),
    });
  }
}

export const ScimRequestLogConnection = connectionOf(ScimRequestLogEntry, 'ScimRequestLog', 'SCIM requests');

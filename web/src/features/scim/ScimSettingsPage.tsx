import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Checkbox, Group, Paper, Radio, Select, Stack, Text, Title, Tooltip } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { ActionButton } from '../../ui/ActionButton';
import { CopyField } from '../../ui/CopyField';
import { HeldDeprovisionings } from './HeldDeprovisionings';
import { useOrg } from '../../shell/OrgScope';
import { ProvisioningActivity } from './ProvisioningActivity';
import { ScimApiKeyField } from './ScimApiKeyField';
import { ScimKeyRotateDialog } from './ScimKeyRotateDialog';
import { ScimPreviousKeyNotice } from './ScimPreviousKeyNotice';
import { ScimSetupGuide } from './ScimSetupGuide';
import { FormErrors, RequestError, fieldError } from '../../ui/UserErrors';
import { PROVIDER_LABELS, formatDateTime } from '../../format';
import { graphql } from '../../gql';
import type { ScimProvider } from '../../gql/graphql';
import { usePageTitle } from '../../ui/usePageTitle';

/** The stored key as the page describes it (the key itself is shown only once, when issued). */
export const SCIM_API_KEY_FIELDS = graphql(`
  fragment ScimApiKeyFields on ScimApiKey {
    hint
    createdAt
    lastUsedAt
  }
`);

/** Someone who could handle the key lost that right since it was issued; rotating the key answers it. */
export const SCIM_ROTATION_RECOMMENDATION_FIELDS = graphql(`
  fragment ScimRotationRecommendationFields on ScimRotationRecommendation {
    reason
    memberEmail
    since
  }
`);

const EXPOSURE_WORDS: Record<string, string> = {
  REMOVED: 'was removed',
  REVOKED: 'was revoked',
  DEMOTED: 'lost the right',
};

/** What the page shows of the settings: read on load, and read back from every save. */
export const SCIM_SETTINGS_FIELDS = graphql(`
  fragment ScimSettingsFields on ScimSettings {
    enabled
    provider
    inviteUsersAfterProvisioning
    endpointUrl
    viewerCanManageKeys
    apiKey {
      ...ScimApiKeyFields
    }
    previousKey {
      hint
      validUntil
      lastUsedAt
    }
    rotationRecommended {
      ...ScimRotationRecommendationFields
    }
  }
`);

const SCIM_SETTINGS = graphql(`
  query ScimSettings($id: ID!) {
    organization(id: $id) {
      id
      scim {
        ...ScimSettingsFields
      }
    }
  }
`);

const SCIM_UPDATE = graphql(`
  mutation ScimSettingsUpdate($input: ScimSettingsUpdateInput!) {
    scimSettingsUpdate(input: $input) {
      apiKey
      scim {
        ...ScimSettingsFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

const SCIM_ROTATE = graphql(`
  mutation ScimApiKeyRotate($input: ScimApiKeyRotateInput!) {
    scimApiKeyRotate(input: $input) {
      apiKey
      scim {
        ...ScimSettingsFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

const SCIM_PREVIOUS_KEY_REVOKE = graphql(`
  mutation ScimPreviousKeyRevoke($input: ScimPreviousKeyRevokeInput!) {
    scimPreviousKeyRevoke(input: $input) {
      scim {
        ...ScimSettingsFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

const PROVIDERS = Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label }));
const KEYS_DENIED = 'Only owners may enable or disable SCIM and rotate its key: the key can manage owners.';

/** Settings → SCIM provisioning: what to copy into the identity provider, and how provisioning goes. */
export function ScimSettingsPage() {
  const org = useOrg();
  usePageTitle(`SCIM provisioning · ${org.name}`);
  const { data, error, refetch } = useQuery(SCIM_SETTINGS, {
    variables: { id: org.id },
    skip: !org.viewerPermissions.manageScim,
  });
  const scim = data?.organization?.scim;
  const [enabled, setEnabled] = useState(false);
  const [provider, setProvider] = useState<string>('JUMPCLOUD');
  const [invite, setInvite] = useState('invite');
  const [revealedKey, setRevealedKey] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [update, updated] = useMutation(SCIM_UPDATE);
  const [rotate, rotated] = useMutation(SCIM_ROTATE);
  const [revokePrevious, revokedPrevious] = useMutation(SCIM_PREVIOUS_KEY_REVOKE);
  const [rotating, setRotating] = useState(false);

  // The form starts from the stored settings (once they arrive, and after each save).
  useEffect(() => {
    if (!scim) return;
    setEnabled(scim.enabled);
    setProvider(scim.provider);
    setInvite(scim.inviteUsersAfterProvisioning ? 'invite' : 'staged');
  }, [scim?.enabled, scim?.provider, scim?.inviteUsersAfterProvisioning]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!org.viewerPermissions.manageScim) {
    return (
      <Stack>
        <Title order={1}>SCIM provisioning</Title>
        <Alert color="gray" title="Not available to you">
          Only owners, admins and members allowed to manage SCIM see these settings.
        </Alert>
      </Stack>
    );
  }

  const canKeys = scim?.viewerCanManageKeys ?? false;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!scim) return;
    setSaved(false);
    const r = await update({
      variables: {
        input: {
          organizationId: org.id,
          // Only owners may switch SCIM on or off: others save the rest without touching it.
          ...(enabled !== scim.enabled ? { enabled } : {}),
          provider: provider as ScimProvider,
          inviteUsersAfterProvisioning: invite === 'invite',
        },
      },
    });
    const p = r.data?.scimSettingsUpdate;
    if (p?.apiKey) setRevealedKey(p.apiKey);
    if (p?.scim && !p.userErrors.length) setSaved(true);
    if (p?.scim && !p.scim.enabled) setRevealedKey(null);
  };
  // The settings are not normalised under the organization: the page reads them again after a key change.
  const rotateKey = async (previousKeyValidMinutes: number) => {
    const r = await rotate({ variables: { input: { organizationId: org.id, previousKeyValidMinutes } } });
    const key = r.data?.scimApiKeyRotate.apiKey;
    if (key) setRevealedKey(key);
    await refetch();
  };
  const endPreviousKey = async () => {
    await revokePrevious({ variables: { input: { organizationId: org.id } } });
    await refetch();
  };

  const updateErrors = updated.data?.scimSettingsUpdate.userErrors;
  const rotateErrors = rotated.data?.scimApiKeyRotate.userErrors;
  const revokePreviousErrors = revokedPrevious.data?.scimPreviousKeyRevoke.userErrors;
  return (
    <Stack>
      <div>
        <Title order={1}>SCIM provisioning</Title>
        <Text c="dimmed">
          Automatically provision users and groups with your preferred identity provider via SCIM provisioning
        </Text>
      </div>
      <RequestError error={error ?? updated.error ?? rotated.error ?? revokedPrevious.error} />
      <HeldDeprovisionings orgId={org.id} />
      <ScimKeyRotateDialog opened={rotating} onClose={() => setRotating(false)} onRotate={rotateKey} />
      {scim?.rotationRecommended && (
        <Alert color="orange" title="Rotate the SCIM key" role="alert">
          {scim.rotationRecommended.memberEmail} could see the SCIM key and{' '}
          {EXPOSURE_WORDS[scim.rotationRecommended.reason] ?? 'lost the right'} on{' '}
          {formatDateTime(scim.rotationRecommended.since)}: rotate the key, then paste the new one into your identity
          provider.
        </Alert>
      )}
      {scim && (
        <Paper withBorder p="md">
          <form onSubmit={save} noValidate>
            <Stack>
              <Tooltip label={KEYS_DENIED} disabled={canKeys} withArrow>
                <div style={{ alignSelf: 'flex-start' }}>
                  <Checkbox
                    label="Enable SCIM"
                    description="The SCIM endpoint accepts requests from your identity provider."
                    checked={enabled}
                    onChange={(e) => setEnabled(e.currentTarget.checked)}
                    disabled={!canKeys}
                    error={fieldError(updateErrors, 'enabled')}
                  />
                </div>
              </Tooltip>
              {enabled && (
                <>
                  <CopyField label="SCIM URL" value={scim.endpointUrl} />
                  <ScimApiKeyField revealedKey={revealedKey} apiKey={scim.apiKey} />
                  <Alert color="yellow" variant="light" title="Keep it secret">
                    This API key has access to manage users within your organization. It should be kept secret.
                  </Alert>
                  <Group>
                    <ActionButton
                      variant="default"
                      deniedReason={canKeys ? (scim.enabled ? null : 'Save with SCIM enabled first.') : KEYS_DENIED}
                      onClick={() => setRotating(true)}
                      loading={rotated.loading}
                    >
                      Rotate key
                    </ActionButton>
                  </Group>
                  <FormErrors errors={rotateErrors} title="The key was not rotated" />
                  {scim.previousKey && (
                    <ScimPreviousKeyNotice
                      previousKey={scim.previousKey}
                      rotatedAt={scim.apiKey?.createdAt ?? null}
                      onEnd={endPreviousKey}
                      ending={revokedPrevious.loading}
                      deniedReason={canKeys ? null : KEYS_DENIED}
                    />
                  )}
                  <FormErrors errors={revokePreviousErrors} title="The previous key was not ended" />
                </>
              )}
              <Select
                label="Identity provider"
                data={PROVIDERS}
                value={provider}
                onChange={(v) => setProvider(v ?? 'DEFAULT')}
                allowDeselect={false}
                error={fieldError(updateErrors, 'provider')}
                maw={360}
              />
              <Radio.Group
                label="Provisioned users"
                value={invite}
                onChange={setInvite}
                error={fieldError(updateErrors, 'inviteUsersAfterProvisioning')}
              >
                <Stack gap={6} mt={6}>
                  <Radio
                    value="invite"
                    label="Invite them by e-mail (they accept, then an administrator confirms them)"
                  />
                  <Radio
                    value="staged"
                    label="Stage them without an e-mail (staged provisioning: no invitation, no seat until invited)"
                  />
                </Stack>
              </Radio.Group>
              <FormErrors errors={updateErrors} except={['enabled', 'provider', 'inviteUsersAfterProvisioning']} />
              <Group>
                <Button type="submit" loading={updated.loading}>
                  Save
                </Button>
                {saved && (
                  <Text size="sm" role="status">
                    Saved.
                  </Text>
                )}
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
      {scim && <ScimSetupGuide provider={provider} />}
      {scim && <ProvisioningActivity orgId={org.id} />}
    </Stack>
  );
}

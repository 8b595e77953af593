import { Button, Checkbox, Group, Paper, Radio, Select, Stack, Text, Tooltip } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { PROVIDER_LABELS } from '../../format';
import type { ScimProvider, ScimSettingsFieldsFragment } from '../../gql/graphql';
import { useConfirm } from '../../ui/Confirm';
import { useUnsavedChanges } from '../../ui/UnsavedChanges';
import { FormErrors, fieldError } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { SCIM_UPDATE } from './documents';
import { KEYS_DENIED, ScimKeySection } from './ScimKeySection';

const PROVIDERS = Object.entries(PROVIDER_LABELS).map(([value, label]) => ({ value, label }));

/** The settings form: SCIM on or off (owners), the identity provider, and what happens to provisioned users. */
export function ScimSettingsForm({
  orgId,
  scim,
  provider,
  onProviderChange,
  revealedKey,
  onRevealedKey,
  onChanged,
}: {
  orgId: string;
  scim: ScimSettingsFieldsFragment;
  /** Chosen here, read by the set-up guide beside the form. */
  provider: string;
  onProviderChange: (provider: string) => void;
  /** A key just issued, shown in full (the set-up guide beside the form shows it too). */
  revealedKey: string | null;
  onRevealedKey: (key: string | null) => void;
  onChanged: () => Promise<unknown>;
}) {
  const [enabled, setEnabled] = useState(scim.enabled);
  const [invite, setInvite] = useState(scim.inviteUsersAfterProvisioning ? 'invite' : 'staged');
  const [saved, setSaved] = useState(false);
  const update = useMutationAction(onChanged);
  const { ask, dialog } = useConfirm();
  const canKeys = scim.viewerCanManageKeys;
  const edited =
    enabled !== scim.enabled ||
    invite !== (scim.inviteUsersAfterProvisioning ? 'invite' : 'staged') ||
    provider !== scim.provider;
  useUnsavedChanges(edited ? 'your changes to the SCIM settings' : null);
  const providerName = (provider !== 'DEFAULT' && PROVIDER_LABELS[provider]) || 'your identity provider';

  // The form starts again from the stored settings after each save.
  useEffect(() => {
    setEnabled(scim.enabled);
    setInvite(scim.inviteUsersAfterProvisioning ? 'invite' : 'staged');
  }, [scim.enabled, scim.inviteUsersAfterProvisioning]);

  const persist = async () => {
    setSaved(false);
    const input = {
      organizationId: orgId,
      // Only owners may switch SCIM on or off: others save the rest without touching it.
      ...(enabled !== scim.enabled ? { enabled } : {}),
      provider: provider as ScimProvider,
      inviteUsersAfterProvisioning: invite === 'invite',
    };
    const { payload, ok } = await update.run(SCIM_UPDATE, { input }, (d) => d.scimSettingsUpdate);
    if (payload?.apiKey) onRevealedKey(payload.apiKey);
    if (ok) setSaved(true);
    if (payload?.scim && !payload.scim.enabled) onRevealedKey(null);
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (scim.enabled && !enabled)
      // Disabling deletes the key: as drastic as rotating it without an overlap, and asked the same way.
      return ask({
        title: 'Disable SCIM?',
        message: `The SCIM key is deleted and every request fails until you enable SCIM again and paste a new key into ${providerName}. Members and groups it provisioned stay as they are.`,
        confirmLabel: 'Disable SCIM',
        danger: true,
        onConfirm: persist,
      });
    void persist();
  };

  return (
    <Paper withBorder p="md">
      {dialog}
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
                error={fieldError(update.errors, 'enabled')}
              />
            </div>
          </Tooltip>
          {enabled && (
            <ScimKeySection
              orgId={orgId}
              scim={scim}
              providerName={providerName}
              revealedKey={revealedKey}
              onKeyIssued={onRevealedKey}
              onChanged={onChanged}
            />
          )}
          <Select
            label="Identity provider"
            data={PROVIDERS}
            value={provider}
            onChange={(v) => onProviderChange(v ?? 'DEFAULT')}
            allowDeselect={false}
            error={fieldError(update.errors, 'provider')}
            maw={360}
          />
          <Radio.Group
            label="Provisioned users"
            value={invite}
            onChange={setInvite}
            error={fieldError(update.errors, 'inviteUsersAfterProvisioning')}
          >
            <Stack gap={6} mt={6}>
              <Radio value="invite" label="Invite them by e-mail (they accept, then an administrator confirms them)" />
              <Radio
                value="staged"
                label="Stage them without an e-mail (staged provisioning: no invitation, no seat until invited)"
              />
            </Stack>
          </Radio.Group>
          <FormErrors errors={update.errors} except={['enabled', 'provider', 'inviteUsersAfterProvisioning']} />
          <Group>
            <Button type="submit" loading={update.loading}>
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
  );
}

import { Alert, Group } from '@mantine/core';
import { useState } from 'react';
import type { ScimSettingsFieldsFragment } from '../../gql/graphql';
import { ActionButton } from '../../ui/ActionButton';
import { CopyField } from '../../ui/CopyField';
import { FormErrors } from '../../ui/UserErrors';
import { useMutationAction } from '../../ui/useMutationAction';
import { SCIM_PREVIOUS_KEY_REVOKE, SCIM_ROTATE } from './documents';
import { ScimApiKeyField } from './ScimApiKeyField';
import { ScimKeyRotateDialog } from './ScimKeyRotateDialog';
import { ScimPreviousKeyNotice } from './ScimPreviousKeyNotice';

export const KEYS_DENIED = 'Only owners may enable or disable SCIM and rotate its key: the key can manage owners.';

/**
 * What to paste into the identity provider (the SCIM URL and the key, shown in full once), rotating the key, and
 * ending the previous key after a rotation with an overlap.
 */
export function ScimKeySection({
  orgId,
  scim,
  providerName,
  revealedKey,
  onKeyIssued,
  onChanged,
}: {
  orgId: string;
  scim: ScimSettingsFieldsFragment;
  providerName: string;
  revealedKey: string | null;
  onKeyIssued: (key: string) => void;
  /** The settings are not normalised under the organization: the page reads them again after a key change. */
  onChanged: () => Promise<unknown>;
}) {
  const [rotating, setRotating] = useState(false);
  const rotate = useMutationAction(onChanged);
  const endPrevious = useMutationAction(onChanged);
  const canKeys = scim.viewerCanManageKeys;
  const rotateKey = async (previousKeyValidMinutes: number) => {
    const input = { organizationId: orgId, previousKeyValidMinutes };
    const { payload } = await rotate.run(SCIM_ROTATE, { input }, (d) => d.scimApiKeyRotate);
    if (payload?.apiKey) onKeyIssued(payload.apiKey);
  };
  const endPreviousKey = () =>
    endPrevious.run(SCIM_PREVIOUS_KEY_REVOKE, { input: { organizationId: orgId } }, (d) => d.scimPreviousKeyRevoke);
  return (
    <>
      <ScimKeyRotateDialog
        opened={rotating}
        providerName={providerName}
        onClose={() => setRotating(false)}
        onRotate={rotateKey}
      />
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
          loading={rotate.loading}
        >
          Rotate key
        </ActionButton>
      </Group>
      <FormErrors errors={rotate.errors} title="The key was not rotated" />
      {scim.previousKey && (
        <ScimPreviousKeyNotice
          previousKey={scim.previousKey}
          rotatedAt={scim.apiKey?.createdAt ?? null}
          onEnd={() => void endPreviousKey()}
          ending={endPrevious.loading}
          deniedReason={canKeys ? null : KEYS_DENIED}
        />
      )}
      <FormErrors errors={endPrevious.errors} title="The previous key was not ended" />
    </>
  );
}

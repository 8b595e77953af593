import { useQuery } from '@apollo/client/react';
import { Alert, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../format';
import { useOrg } from '../../shell/OrgScope';
import { RequestError } from '../../ui/UserErrors';
import { usePageTitle } from '../../ui/usePageTitle';
import { SCIM_SETTINGS } from './documents';
import { HeldDeprovisionings } from './HeldDeprovisionings';
import { ProvisioningActivity } from './ProvisioningActivity';
import { ScimSettingsForm } from './ScimSettingsForm';
import { ScimSetupGuide } from './ScimSetupGuide';

const EXPOSURE_WORDS: Record<string, string> = {
  REMOVED: 'was removed',
  REVOKED: 'was revoked',
  DEMOTED: 'lost the right',
};

/** Settings → SCIM provisioning: what to copy into the identity provider, and how provisioning goes. */
export function ScimSettingsPage() {
  const org = useOrg();
  usePageTitle(`SCIM provisioning · ${org.name}`);
  const { data, error, refetch } = useQuery(SCIM_SETTINGS, {
    variables: { id: org.id },
    skip: !org.viewerPermissions.manageScim,
  });
  const scim = data?.organization?.scim;
  const [provider, setProvider] = useState<string>('JUMPCLOUD');
  const [revealedKey, setRevealedKey] = useState<string | null>(null);
  useEffect(() => {
    if (scim) setProvider(scim.provider);
  }, [scim?.provider]); // eslint-disable-line react-hooks/exhaustive-deps

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
  const exposure = scim?.rotationRecommended;
  return (
    <Stack>
      <div>
        <Title order={1}>SCIM provisioning</Title>
        <Text c="dimmed">
          Automatically provision users and groups with your preferred identity provider via SCIM provisioning
        </Text>
      </div>
      <RequestError error={error} />
      <HeldDeprovisionings orgId={org.id} />
      {exposure && (
        <Alert color="orange" title="Rotate the SCIM key" role="alert">
          {exposure.memberEmail} could see the SCIM key and {EXPOSURE_WORDS[exposure.reason] ?? 'lost the right'} on{' '}
          {formatDateTime(exposure.since)}: rotate the key, then paste the new one into your identity provider.
        </Alert>
      )}
      {scim && (
        <ScimSettingsForm
          orgId={org.id}
          scim={scim}
          provider={provider}
          onProviderChange={setProvider}
          revealedKey={revealedKey}
          onRevealedKey={setRevealedKey}
          onChanged={refetch}
        />
      )}
      {scim && (
        <ScimSetupGuide orgId={org.id} provider={provider} endpointUrl={scim.endpointUrl} revealedKey={revealedKey} />
      )}
      {scim && <ProvisioningActivity orgId={org.id} />}
    </Stack>
  );
}

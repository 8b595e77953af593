import { List, Paper, Text, Title } from '@mantine/core';
import { PROVIDER_LABELS } from '../../format';

interface Guide {
  url: string;
  key: string;
  steps: string[];
}

/** Where each identity provider wants the two values, in its own words. */
const GUIDES: Record<string, Guide> = {
  JUMPCLOUD: {
    url: 'Base URL',
    key: 'Token Key',
    steps: [
      'In the JumpCloud Admin Portal, open SSO Applications and select your application.',
      'Open the Identity Management tab and choose SCIM 2.0 as the API type.',
      'Paste the values below, then select Test Connection and Activate.',
      'Bind the user groups to provision on the User Groups tab.',
    ],
  },
  OKTA: {
    url: 'SCIM connector base URL',
    key: 'API Token (HTTP Header authentication)',
    steps: [
      'In your Okta application, open Provisioning → Integration and enable API integration.',
      'Paste the values below and test the API credentials.',
      'Under To App, enable Create Users, Update User Attributes and Deactivate Users.',
    ],
  },
  AZURE_AD: {
    url: 'Tenant URL',
    key: 'Secret Token',
    steps: [
      'In Microsoft Entra ID, open Enterprise applications → your application → Provisioning.',
      'Set Provisioning Mode to Automatic and paste the values below under Admin Credentials.',
      'Test Connection, save, then start provisioning.',
    ],
  },
  ONELOGIN: {
    url: 'SCIM Base URL',
    key: 'SCIM Bearer Token',
    steps: [
      'In OneLogin, open Applications → your application → Configuration.',
      'Paste the values below and enable the API connection.',
      'On the Provisioning tab, enable provisioning.',
    ],
  },
  PING: {
    url: 'SCIM URL',
    key: 'OAuth Access Token',
    steps: [
      'In PingOne, add a SCIM outbound provisioning connection.',
      'Choose bearer-token authentication and paste the values below.',
    ],
  },
  GOOGLE: {
    url: 'SCIM endpoint URL',
    key: 'Bearer token',
    steps: [
      'In the Google Admin console, open Apps → Web and mobile apps → your app → Auto-provisioning.',
      'Paste the values below and turn auto-provisioning on.',
    ],
  },
  RIPPLING: {
    url: 'SCIM base URL',
    key: 'API token',
    steps: ['In Rippling, open the app → Settings → SCIM.', 'Paste the values below and test the connection.'],
  },
  DEFAULT: {
    url: 'SCIM base URL',
    key: 'Bearer token',
    steps: ['Point any RFC 7644 client at the SCIM URL below, authenticated with the key as a bearer token.'],
  },
};

export function ScimSetupGuide({ provider }: { provider: string; endpointUrl: string }) {
  const guide = GUIDES[provider] ?? GUIDES.DEFAULT;
  const name = PROVIDER_LABELS[provider] ?? provider;
  return (
    <Paper withBorder p="md" aria-labelledby="setup-title">
      <Title order={2} size="h4" id="setup-title" mb="xs">
        Set up {name}
      </Title>
      <List type="ordered" size="sm" spacing={4}>
        {guide.steps.map((s) => (
          <List.Item key={s}>{s}</List.Item>
        ))}
      </List>
      <Text size="sm" mt="sm">
        <strong>{guide.url}</strong>: the <strong>SCIM URL</strong> below. <strong>{guide.key}</strong>: the{' '}
        <strong>SCIM API key</strong>.
      </Text>
    </Paper>
  );
}

import { ScimProvider } from './enums';

/** What the provisioning log calls a request refused for its key: nobody known sent it, so nobody is blamed. */
export const REJECTED_KEY_CLIENT = 'rejected key';

const PROVIDER_NAMES: Record<ScimProvider, string> = {
  [ScimProvider.DEFAULT]: 'SCIM client',
  [ScimProvider.JUMPCLOUD]: 'JumpCloud',
  [ScimProvider.OKTA]: 'Okta',
  [ScimProvider.AZURE_AD]: 'Microsoft Entra ID',
  [ScimProvider.ONELOGIN]: 'OneLogin',
  [ScimProvider.PING]: 'Ping Identity',
  [ScimProvider.GOOGLE]: 'Google Workspace',
  [ScimProvider.RIPPLING]: 'Rippling',
};

const DETECTED_NAMES: Record<string, string> = {
  entra: 'Microsoft Entra ID',
  google: 'Google Workspace',
  jumpcloud: 'JumpCloud',
  okta: 'Okta',
  onelogin: 'OneLogin',
  ping: 'Ping Identity',
  rippling: 'Rippling',
};

/**
 * The name of the client that sent a SCIM request: the provider configured for the key it authenticated with.
 * A request logged before keys named their provider falls back to the client its User-Agent suggested.
 */
export function scimClientName(keyProvider: string | null, detectedClient: string | null = null): string {
  const configured = PROVIDER_NAMES[keyProvider as ScimProvider] as string | undefined;
  if (configured && keyProvider !== ScimProvider.DEFAULT) return configured;
  return (detectedClient && DETECTED_NAMES[detectedClient]) ?? configured ?? 'SCIM client';
}

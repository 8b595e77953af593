import { ScimProvider } from './enums';

/** The identity provider's own name for itself, as an administrator reads it ("Managed by JumpCloud"). */
export function scimProviderName(provider: ScimProvider): string {
  switch (provider) {
    case ScimProvider.JUMPCLOUD:
      return 'JumpCloud';
    case ScimProvider.OKTA:
      return 'Okta';
    case ScimProvider.AZURE_AD:
      return 'Microsoft Entra ID';
    case ScimProvider.ONELOGIN:
      return 'OneLogin';
    case ScimProvider.PING:
      return 'Ping Identity';
    case ScimProvider.GOOGLE:
      return 'Google Workspace';
    case ScimProvider.RIPPLING:
      return 'Rippling';
    case ScimProvider.DEFAULT:
      return 'your identity provider';
  }
}

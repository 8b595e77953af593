/** Which of orgd's values a step asks for: the SCIM URL or the SCIM key, under the identity provider's name for it. */
export interface GuideValue {
  /** The identity provider's own label for the field. */
  label: string;
  value: 'url' | 'key';
}

export interface GuideStep {
  text: string;
  /** Values to paste in this step, each with a Copy button. */
  values?: GuideValue[];
  /** Fields of the step that are not orgd's values, with what to enter. */
  fields?: [label: string, what: string][];
}

export interface Guide {
  steps: GuideStep[];
  /** What the identity provider does that an administrator should know before relying on it. */
  caveats?: string[];
}

/** Each identity provider's set-up, in its own words and order (docs/scim.md has the long version). */
export const GUIDES: Record<string, Guide> = {
  JUMPCLOUD: {
    steps: [
      {
        text: 'In the JumpCloud Admin Portal, open SSO Applications and select the SSO application for this organization (JumpCloud offers SCIM only on an SSO application: create it first).',
      },
      { text: 'Open its Identity Management tab and choose SCIM 2.0 as the SCIM version.' },
      {
        text: 'Enter:',
        values: [
          { label: 'Base URL', value: 'url' },
          { label: 'Token Key', value: 'key' },
        ],
        fields: [['Test User Email', 'an address in your domain; JumpCloud creates that test user and deletes it']],
      },
      {
        text: 'Select Enable management of User Groups and Group Membership, so the groups bound to the application are pushed with their members.',
      },
      { text: 'Select Test Connection, then Activate.' },
      { text: 'Select Save.' },
      { text: 'On the User Groups tab, bind the user groups to provision, and save.' },
    ],
    caveats: [
      'Activate runs JumpCloud’s self-test: it creates, changes and deletes a test user and a test group. They show in the provisioning activity; nothing of them remains.',
      'JumpCloud deactivates a user unbound from the application or suspended, and deletes a user deleted in JumpCloud.',
      'JumpCloud sends every update as a full profile: a change made here to a member it manages may be undone at its next update. Make such changes in JumpCloud.',
    ],
  },
  OKTA: {
    steps: [
      {
        text: 'In the Okta Admin Console, open the application integration; on its General tab, under Provisioning, select SCIM.',
      },
      {
        text: 'On the Provisioning tab, under Integration, select Edit and enter:',
        values: [
          { label: 'SCIM connector base URL', value: 'url' },
          { label: 'Authorization (Bearer)', value: 'key' },
        ],
        fields: [
          ['Unique identifier field for users', 'userName'],
          ['Supported provisioning actions', 'Push New Users, Push Profile Updates, Push Groups'],
          ['Authentication Mode', 'HTTP Header'],
        ],
      },
      { text: 'Select Test Connector Configuration, then Save.' },
      { text: 'Under To App, enable Create Users, Update User Attributes and Deactivate Users.' },
      { text: 'Assign people or groups on the Assignments tab, and the groups to push on the Push Groups tab.' },
    ],
  },
  AZURE_AD: {
    steps: [
      { text: 'In Microsoft Entra ID, open Enterprise applications → your application → Provisioning.' },
      {
        text: 'Set Provisioning Mode to Automatic and, under Admin Credentials, enter:',
        values: [
          { label: 'Tenant URL', value: 'url' },
          { label: 'Secret Token', value: 'key' },
        ],
      },
      { text: 'Test Connection, save, then start provisioning.' },
    ],
  },
  ONELOGIN: {
    steps: [
      {
        text: 'In OneLogin, open Applications → your application → Configuration, and enter:',
        values: [
          { label: 'SCIM Base URL', value: 'url' },
          { label: 'SCIM Bearer Token', value: 'key' },
        ],
      },
      { text: 'Enable the API connection; on the Provisioning tab, enable provisioning.' },
    ],
  },
  PING: {
    steps: [
      {
        text: 'In PingOne, add a SCIM outbound provisioning connection with bearer-token authentication, and enter:',
        values: [
          { label: 'SCIM URL', value: 'url' },
          { label: 'OAuth Access Token', value: 'key' },
        ],
      },
    ],
  },
  GOOGLE: {
    steps: [
      {
        text: 'In the Google Admin console, open Apps → Web and mobile apps → your app → Auto-provisioning, and enter:',
        values: [
          { label: 'SCIM endpoint URL', value: 'url' },
          { label: 'Bearer token', value: 'key' },
        ],
      },
      { text: 'Turn auto-provisioning on.' },
    ],
  },
  RIPPLING: {
    steps: [
      {
        text: 'In Rippling, open the app → Settings → SCIM, and enter:',
        values: [
          { label: 'SCIM base URL', value: 'url' },
          { label: 'API token', value: 'key' },
        ],
      },
      { text: 'Test the connection.' },
    ],
  },
  DEFAULT: {
    steps: [
      {
        text: 'Point any RFC 7644 client at orgd, authenticated with the key as a bearer token:',
        values: [
          { label: 'SCIM base URL', value: 'url' },
          { label: 'Bearer token', value: 'key' },
        ],
      },
    ],
  },
};

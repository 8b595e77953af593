import { graphql } from '../../gql';

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

export const SCIM_SETTINGS = graphql(`
  query ScimSettings($id: ID!) {
    organization(id: $id) {
      id
      scim {
        ...ScimSettingsFields
      }
    }
  }
`);

export const SCIM_UPDATE = graphql(`
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

export const SCIM_ROTATE = graphql(`
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

export const SCIM_PREVIOUS_KEY_REVOKE = graphql(`
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

import { graphql } from './gql';

/*
 * Selections that many operations share, declared once and spread by name (`...UserErrorFields`) in each
 * operation; codegen adds the fragment's definition to every document that uses it.
 */

/** What every mutation's userErrors carry: shown next to the field they name, or as one alert. */
export const USER_ERROR_FIELDS = graphql(`
  fragment UserErrorFields on UserError {
    code
    field
    message
  }
`);

/** Every permission flag, as a member holds them and as a group's role mapping grants them. */
export const PERMISSIONS_FIELDS = graphql(`
  fragment PermissionsFields on MemberPermissions {
    manageUsers
    manageGroups
    manageScim
    manageScimKeys
    accessEventLogs
    manageWebhooks
  }
`);

/** Where a connection's page ends and whether another follows (keyset paging). */
export const PAGE_INFO_FIELDS = graphql(`
  fragment PageInfoFields on PageInfo {
    hasNextPage
    endCursor
  }
`);

/** A bulk member mutation's outcome: one result per member, plus errors about the request as a whole. */
export const MEMBERS_PAYLOAD_FIELDS = graphql(`
  fragment MembersPayloadFields on MembersPayload {
    results {
      memberId
      userErrors {
        ...UserErrorFields
      }
    }
    userErrors {
      ...UserErrorFields
    }
  }
`);

/** What a group mutation answers (create, rename, add or remove members). */
export const GROUP_PAYLOAD_FIELDS = graphql(`
  fragment GroupPayloadFields on GroupPayload {
    group {
      id
      displayName
    }
    userErrors {
      ...UserErrorFields
    }
  }
`);

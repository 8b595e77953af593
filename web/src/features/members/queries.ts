import type { TypedDocumentNode } from '@apollo/client';
import { graphql } from '../../gql';
import type { MemberNodeFieldsFragment } from '../../gql/graphql';
import type { UserErrorLike } from '../../ui/UserErrors';

/** A member as the Members page lists it: who, status, role and where it comes from, profile, what the viewer may do. */
export const MEMBER_NODE_FIELDS = graphql(`
  fragment MemberNodeFields on Member {
    id
    email
    displayName
    name {
      formatted
    }
    role
    permissions {
      ...PermissionsFields
    }
    roleSource
    roleGrantedBy {
      id
      displayName
    }
    status
    source
    managedBy
    revocationReason
    revocationHold {
      by
      at
    }
    lastProvisionedAt
    lastScimError {
      status
      message
      at
    }
    title
    phoneNumbers {
      value
      type
      primary
    }
    enterprise {
      employeeNumber
      department
      organization
      costCenter
      managerId
    }
    viewerCan {
      update
      confirm
      revoke
      restore
      remove
      reinvite
      changeRole
      manageGroups
      roleOptions {
        role
        allowed
        reason
      }
    }
  }
`);

export const MEMBERS = graphql(`
  query Members($id: ID!, $first: Int!, $after: String, $filter: MemberFilter, $orderBy: MemberOrder) {
    organization(id: $id) {
      id
      memberStatusCounts {
        invited
        accepted
        confirmed
        revoked
        staged
        total
      }
      seats {
        used
        limit
      }
      members(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        nodes {
          ...MemberNodeFields
        }
      }
    }
  }
`);

export type Member = MemberNodeFieldsFragment;

/**
 * A page of the ids of the members matching a filter: "select all N matching" and "Confirm all accepted" read them
 * all, page after page.
 */
export const MEMBER_IDS = graphql(`
  query MemberIds($id: ID!, $filter: MemberFilter, $after: String) {
    organization(id: $id) {
      id
      memberIds(filter: $filter, after: $after) {
        ids
        totalCount
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CONFIRM = graphql(`
  mutation MembersConfirm($input: MembersConfirmInput!) {
    membersConfirm(input: $input) {
      ...MembersPayloadFields
    }
  }
`);

export interface BulkPayload {
  results: { memberId: string; userErrors: UserErrorLike[] }[];
  userErrors: UserErrorLike[];
}

/** A member mutation that takes `{ organizationId, memberIds }` and answers a MembersPayload in its one field. */
export type ByIdsMutation = TypedDocumentNode<
  Record<string, BulkPayload>,
  { input: { organizationId: string; memberIds: string[] } }
>;

export const REVOKE = graphql(`
  mutation MembersRevoke($input: MembersRevokeInput!) {
    membersRevoke(input: $input) {
      ...MembersPayloadFields
    }
  }
`);
export const RESTORE: ByIdsMutation = graphql(`
  mutation MembersRestore($input: MemberIdsInput!) {
    membersRestore(input: $input) {
      ...MembersPayloadFields
    }
  }
`);
export const REMOVE: ByIdsMutation = graphql(`
  mutation MembersRemove($input: MemberIdsInput!) {
    membersRemove(input: $input) {
      ...MembersPayloadFields
    }
  }
`);
export const REINVITE: ByIdsMutation = graphql(`
  mutation MembersReinvite($input: MemberIdsInput!) {
    membersReinvite(input: $input) {
      ...MembersPayloadFields
    }
  }
`);

export const SEND_INVITATION: ByIdsMutation = graphql(`
  mutation MembersSendInvitation($input: MemberIdsInput!) {
    membersSendInvitation(input: $input) {
      ...MembersPayloadFields
    }
  }
`);
export const ADD_TO_GROUP = graphql(`
  mutation MembersAddToGroup($input: MembersAddToGroupInput!) {
    membersAddToGroup(input: $input) {
      ...MembersPayloadFields
    }
  }
`);
export const CHANGE_ROLE = graphql(`
  mutation MembersChangeRole($input: MembersChangeRoleInput!) {
    membersChangeRole(input: $input) {
      ...MembersPayloadFields
    }
  }
`);

export const UPDATE_ROLE = graphql(`
  mutation MemberRoleUpdate($input: MemberUpdateInput!) {
    memberUpdate(input: $input) {
      member {
        id
        role
        viewerCan {
          changeRole
        }
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const SET_ROLE_SOURCE = graphql(`
  mutation MemberRoleSourceSet($input: MemberRoleSourceSetInput!) {
    memberRoleSourceSet(input: $input) {
      member {
        id
        role
        roleSource
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

import { graphql } from '../../gql';

/** The home page's page size, which the sidebar's organization switch shares (one cached answer for both). */
export const ORGANIZATIONS_PAGE_SIZE = 20;

/**
 * The viewer's organizations with what each needs: the viewer's role, counts and SCIM state (and, apart, its
 * memberships that give no rights yet). Counts and SCIM need permissions the viewer may lack in some organization:
 * they come back null with a FORBIDDEN error for that field, so the query is read with `errorPolicy: 'all'` and
 * the rest of the row still shows.
 */
export const ORGANIZATIONS = graphql(`
  query Organizations($first: Int!, $after: String) {
    viewer {
      organizations(first: $first, after: $after) {
        totalCount
        pageInfo {
          ...PageInfoFields
        }
        nodes {
          id
          name
          viewerRole
          createdAt
          memberStatusCounts {
            accepted
            total
          }
          seats {
            used
            limit
          }
          scim {
            enabled
            provider
          }
        }
      }
      pendingInvitations {
        memberId
        organizationName
        role
        expiresAt
      }
      pendingMemberships {
        organizationName
        status
      }
    }
  }
`);

import { useQuery } from '@apollo/client/react';
import { Center, Loader } from '@mantine/core';
import { Outlet, useOutletContext, useParams } from 'react-router';
import { isNotFound } from '../apollo';
import { graphql } from '../gql';
import type { OrganizationHeaderQuery } from '../gql/graphql';
import { ErrorPage } from '../ui/ErrorPage';
import { RequestError } from '../ui/UserErrors';

export const ORGANIZATION_HEADER = graphql(`
  query OrganizationHeader($id: ID!) {
    organization(id: $id) {
      id
      name
      viewerPermissions {
        viewOrganization
        viewMembers
        manageMembers
        manageOwners
        viewGroups
        manageGroups
        manageScim
        viewEvents
        updateOrganization
        manageWebhooks
        roleOptions {
          role
          allowed
          reason
        }
      }
    }
  }
`);

export type Org = NonNullable<OrganizationHeaderQuery['organization']>;

/** The organization of the `/orgs/:orgId/...` pages, with what the viewer may do in it. */
export function OrgScope() {
  const { orgId } = useParams();
  const { data, error } = useQuery(ORGANIZATION_HEADER, { variables: { id: orgId! } });
  if (error && isNotFound(error)) {
    return (
      <ErrorPage
        title="Organization not found"
        message="This organization does not exist, or you are not a confirmed member of it."
      />
    );
  }
  if (error) return <RequestError error={error} />;
  if (!data?.organization) {
    return (
      <Center p="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  return <Outlet context={data.organization} />;
}

export const useOrg = (): Org => useOutletContext<Org>();

import { useQuery } from '@apollo/client/react';
import { List } from '@mantine/core';
import { graphql } from '../../gql';
import type { BatchProgress } from './useBatches';

const MEMBER_EMAIL = graphql(`
  query MemberEmail($id: ID!, $memberId: ID!) {
    organization(id: $id) {
      id
      member(id: $memberId) {
        id
        email
      }
    }
  }
`);

const MAX_LISTED = 20;

/** One failure, by the member's address: known from the page, or asked for (a member beyond the page). */
function Failure(props: { orgId: string; memberId: string; known: string | null; message: string }) {
  const { data } = useQuery(MEMBER_EMAIL, {
    variables: { id: props.orgId, memberId: props.memberId },
    skip: props.known !== null,
  });
  const who = props.known ?? data?.organization?.member?.email ?? props.memberId;
  return (
    <List.Item>
      {who}: {props.message}
    </List.Item>
  );
}

/** The members a bulk action failed for, with why (the first twenty, then how many more). */
export function BulkFailures(props: {
  orgId: string;
  failures: BatchProgress['failures'];
  emailOf: (id: string) => string | null;
}) {
  const { failures } = props;
  if (!failures.length) return null;
  return (
    <List size="sm" aria-label="Failures">
      {failures.slice(0, MAX_LISTED).map((f) => (
        <Failure
          key={f.memberId}
          orgId={props.orgId}
          memberId={f.memberId}
          known={props.emailOf(f.memberId)}
          message={f.message}
        />
      ))}
      {failures.length > MAX_LISTED && <List.Item>and {failures.length - MAX_LISTED} more</List.Item>}
    </List>
  );
}

import type { MemberFilter, MemberOrder } from '../../gql/graphql';
import { exportQuery } from '../../ui/ExportLink';

/** The members CSV of what the list shows: its filter and order. */
export const membersCsv = (orgId: string, f: MemberFilter, order: MemberOrder) =>
  `/export/organizations/${orgId}/members.csv${exportQuery({
    query: f.query,
    statuses: f.statuses,
    roles: f.roles,
    sources: f.sources,
    groupIds: f.groupIds?.map(String),
    orderBy: order.field,
    direction: order.direction,
  })}`;

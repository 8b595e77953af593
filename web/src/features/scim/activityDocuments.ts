import { graphql } from '../../gql';

/** The provisioning log's page and the figures above it (last successful request, failures of the hour). */
export const ACTIVITY = graphql(`
  query ProvisioningActivity($id: ID!, $first: Int!, $after: String, $filter: ScimRequestLogFilter) {
    organization(id: $id) {
      id
      scim {
        requestStats {
          connection
          lastRequestAt
          clients {
            name
            lastSuccessAt
          }
          failuresLastHour
          rejectedKeysLastHour
        }
        requestLog(first: $first, after: $after, filter: $filter) {
          totalCount
          pageInfo {
            ...PageInfoFields
          }
          nodes {
            id
            occurredAt
            method
            path
            status
            durationMs
            summary
            warning
            hasWarning
            rejectedKey
            clientName
            requestId
            apiKeyHint
            apiKeyStatus
            target {
              type
              id
              email
              name
            }
          }
        }
      }
    }
  }
`);

/** What a SCIM request did, from its method and path: "Create user", "Update group", … */
export function operationOf(method: string, path: string): string {
  const parts = path.split('/').filter(Boolean);
  const i = parts.findIndex((p) => p === 'Users' || p === 'Groups');
  if (i < 0) return `${method} ${parts[parts.length - 1] ?? ''}`.trim();
  const kind = parts[i] === 'Users' ? 'user' : 'group';
  const id = parts[i + 1];
  const verb: Record<string, string> = {
    GET: id ? 'Read' : 'List',
    POST: 'Create',
    PUT: 'Replace',
    PATCH: 'Update',
    DELETE: 'Delete',
  };
  return `${verb[method] ?? method} ${kind}${!id && method === 'GET' ? 's' : ''}`;
}

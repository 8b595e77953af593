/**
 * SCIM error responses, RFC 7644 §3.12.
 *
 * Everything in src/scim throws `ScimError` for bad client data, so the HTTP layer can answer a 4xx with a SCIM
 * error body; domain errors (services, authentication, rate limit, a database outage) are rendered by
 * error-mapping.ts; any other exception type reaching the route is a bug (and a 5xx, which IdPs retry forever).
 */

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** The `scimType` keywords of RFC 7644 §3.12, Table 9. */
export type ScimErrorType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimErrorType | undefined,
    readonly detail: string,
    /** Response headers that belong to the error (`WWW-Authenticate` on a 401, `Retry-After` on a 429 or 503). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ScimError';
  }
}

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_SCHEMA];
  /** RFC 7644 §3.12: the HTTP status code as a JSON *string*. */
  status: string;
  scimType?: ScimErrorType;
  detail: string;
}

/** The JSON body of an error response (RFC 7644 §3.12); `scimType` only when there is one. */
export function scimErrorBody(err: ScimError): ScimErrorBody {
  const body: ScimErrorBody = { schemas: [SCIM_ERROR_SCHEMA], status: String(err.status), detail: err.detail };
  if (err.scimType) body.scimType = err.scimType;
  return body;
}

import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { Pool } from 'pg';

/**
 * The raw baseline: the physical floor of the SCIM lookup and create on this machine. A bare node:http
 * server and a plain `pg` Pool doing the same indexed SQL as the service, one statement per request:
 * no framework, no auth, no transaction, no audit, no request log, no invitation. Same URLs and bodies as
 * the SCIM routes, so the bench drives both with identical autocannon settings.
 *
 *   GET  /scim/v2/{org}/Users?filter=userName eq "x"   member by (organization_id, lower(user_name))
 *   POST /scim/v2/{org}/Users                           one insert ... returning
 */
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX || 10) });

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const NO_PERMISSIONS = '{"manageUsers":false,"manageGroups":false,"manageScim":false,"accessEventLogs":false}';
const USERS_PATH = /^\/scim\/v2\/([0-9a-f-]{36})\/Users$/i;
const FILTER = /^userName eq "((?:[^"\\]|\\.)*)"$/i;

interface Row {
  id: string;
  user_name: string;
  email: string;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  external_id: string | null;
  status: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const toUser = (r: Row) => ({
  schemas: [USER],
  id: r.id,
  externalId: r.external_id ?? undefined,
  userName: r.user_name,
  name: { givenName: r.given_name, familyName: r.family_name },
  displayName: r.display_name,
  emails: [{ value: r.email, type: 'work', primary: true }],
  active: r.status !== 'REVOKED',
  meta: { resourceType: 'User', created: r.created_at, lastModified: r.updated_at, version: `W/"${r.version}"` },
});

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function lookup(res: ServerResponse, org: string, search: URLSearchParams): Promise<void> {
  const match = FILTER.exec(search.get('filter') ?? '');
  if (!match) return send(res, 400, { detail: 'only userName eq is supported' });
  const { rows } = await pool.query<Row>(
    `select id, user_name, email, given_name, family_name, display_name, external_id, status, version, created_at, updated_at
     from member where organization_id = $1 and lower(user_name) = lower($2)`,
    [org, match[1].replace(/\\(.)/g, '$1')],
  );
  send(res, 200, {
    schemas: [LIST],
    totalResults: rows.length,
    startIndex: 1,
    itemsPerPage: rows.length,
    Resources: rows.map(toUser),
  });
}

async function create(req: IncomingMessage, res: ServerResponse, org: string): Promise<void> {
  const body = JSON.parse(await readBody(req)) as {
    userName: string;
    externalId?: string;
    displayName?: string;
    name?: { givenName?: string; familyName?: string };
    emails?: { value: string }[];
  };
  const email = body.emails?.[0]?.value ?? body.userName;
  try {
    const { rows } = await pool.query<Row>(
      `insert into member (id, organization_id, email, user_name, given_name, family_name, display_name, external_id, emails, permissions, status, source, version)
       values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, 'INVITED', 'SCIM', 1)
       returning id, user_name, email, given_name, family_name, display_name, external_id, status, version, created_at, updated_at`,
      [
        org,
        email,
        body.userName,
        body.name?.givenName ?? null,
        body.name?.familyName ?? null,
        body.displayName ?? null,
        body.externalId ?? null,
        JSON.stringify(body.emails ?? null),
        NO_PERMISSIONS,
      ],
    );
    send(res, 201, toUser(rows[0]));
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return send(res, 409, { status: '409', scimType: 'uniqueness' });
    throw err;
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://raw');
  const handle = async () => {
    if (url.pathname === '/readyz') {
      await pool.query('select 1');
      return send(res, 200, { status: 'ok' });
    }
    const match = USERS_PATH.exec(url.pathname);
    if (match && req.method === 'GET') return lookup(res, match[1], url.searchParams);
    if (match && req.method === 'POST') return create(req, res, match[1]);
    send(res, 404, { detail: 'not found' });
  };
  handle().catch((err: Error) => {
    if (!res.headersSent) send(res, 500, { detail: err.message });
    else res.destroy();
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT || 4100), '127.0.0.1');

const shutdown = () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

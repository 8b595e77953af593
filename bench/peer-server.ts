import { createHash, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import express, { type Request } from 'express';
import { Pool } from 'pg';

/**
 * The peer: the SCIM endpoint a Node user would build in an afternoon with SCIMMY (schema validation of every
 * resource in and out) and its Express routers, over the same member table and the same SQL as the raw baseline,
 * with bearer authentication. No rate limiting, audit, request log or invitation: the framework's own cost.
 *
 *   GET  /scim/v2/{org}/Users?filter=userName eq "x"   member by (organization_id, lower(user_name))
 *   POST /scim/v2/{org}/Users                           one insert ... returning
 *
 * SCIMMY is a dev dependency of the bench only; `peerInstalled()` tells the bench whether it can start this server.
 */

const load = createRequire(__filename);

export function peerInstalled(): boolean {
  try {
    load.resolve('scimmy');
    load.resolve('scimmy-routers');
    return true;
  } catch {
    return false;
  }
}

/** What the peer uses of SCIMMY, loaded at run time (it is not a dependency of the service). */
interface Scimmy {
  Resources: any;
  Types: { Error: new (status: number, scimType: string | null, message: string) => Error };
}

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

interface UserIn {
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string };
  emails?: { value: string }[];
}

type Filter = Record<string, [string, unknown]>[] | undefined;

const COLUMNS =
  'id, user_name, email, given_name, family_name, display_name, external_id, status, version, created_at, updated_at';
const NO_PERMISSIONS = '{"manageUsers":false,"manageGroups":false,"manageScim":false,"accessEventLogs":false}';

const toUser = (r: Row) => ({
  id: r.id,
  externalId: r.external_id ?? undefined,
  userName: r.user_name,
  name: { givenName: r.given_name ?? undefined, familyName: r.family_name ?? undefined },
  displayName: r.display_name ?? undefined,
  emails: [{ value: r.email, type: 'work', primary: true }],
  active: r.status !== 'REVOKED',
  meta: { created: r.created_at, lastModified: r.updated_at, version: `W/"${r.version}"` },
});

function main(): void {
  const SCIMMY = (load('scimmy') as { default: Scimmy }).default;
  const SCIMMYRouters = (load('scimmy-routers') as { default: new (options: object) => express.Router }).default;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX || 10) });
  const keyHash = createHash('sha256')
    .update(process.env.PEER_KEY ?? '')
    .digest();

  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .egress(async (resource: { id?: string; filter?: Filter }, org: string) => {
      if (resource.id) {
        const { rows } = await pool.query<Row>(`select ${COLUMNS} from member where organization_id = $1 and id = $2`, [
          org,
          resource.id,
        ]);
        if (!rows[0]) throw new SCIMMY.Types.Error(404, null, `no user ${resource.id}`);
        return toUser(rows[0]);
      }
      const userName = resource.filter?.length === 1 ? resource.filter[0].userName : undefined;
      if (!userName || userName[0] !== 'eq' || typeof userName[1] !== 'string')
        throw new SCIMMY.Types.Error(400, 'invalidFilter', 'only userName eq is supported');
      const { rows } = await pool.query<Row>(
        `select ${COLUMNS} from member where organization_id = $1 and lower(user_name) = lower($2)`,
        [org, userName[1]],
      );
      return rows.map(toUser);
    })
    .ingress(async (_resource: unknown, user: UserIn, org: string) => {
      try {
        const { rows } = await pool.query<Row>(
          `insert into member (id, organization_id, email, user_name, given_name, family_name, display_name, external_id, emails, permissions, status, source, version)
           values (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, 'INVITED', 'SCIM', 1)
           returning ${COLUMNS}`,
          [
            org,
            user.emails?.[0]?.value ?? user.userName,
            user.userName,
            user.name?.givenName ?? null,
            user.name?.familyName ?? null,
            user.displayName ?? null,
            user.externalId ?? null,
            JSON.stringify(user.emails ?? null),
            NO_PERMISSIONS,
          ],
        );
        return toUser(rows[0]);
      } catch (err) {
        if ((err as { code?: string }).code === '23505')
          throw new SCIMMY.Types.Error(409, 'uniqueness', 'userName is already taken');
        throw err;
      }
    });

  const app = express();
  app.get('/readyz', async (_req, res) => {
    await pool.query('select 1');
    res.json({ status: 'ok' });
  });
  app.use(
    '/scim/v2/:org',
    (req, res, next) => {
      res.locals.org = req.params.org;
      next();
    },
    new SCIMMYRouters({
      type: 'bearer',
      handler: (req: Request) => {
        const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
        const hash = createHash('sha256').update(given).digest();
        if (!timingSafeEqual(hash, keyHash)) throw new Error('invalid bearer token');
        return 'scim-client';
      },
      context: (req: Request) => req.res?.locals.org as string,
    }),
  );
  const server = app.listen(Number(process.env.PORT || 4200), '127.0.0.1');
  server.keepAliveTimeout = 5000;
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void pool.end().finally(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) main();

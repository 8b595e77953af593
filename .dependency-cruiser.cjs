/**
 * The layer rule, checked: transports (GraphQL, SCIM, browser sign-in, HTTP, CLI) call services; services decide and call
 * repositories; repositories query entities. The ORM stays below the services.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TRANSPORTS = '^src/(graphql|scim|auth|http|cli)/';
const DATABASE_SETUP =
  '^src/(repositories|entities)/|^src/(db|mikro-orm\\.config|pglite-driver|database-target)\\.ts$|^migrations/';

module.exports = {
  forbidden: [
    {
      name: 'transport-reaches-data',
      comment: 'Transports call services; they import no repository and no entity.',
      severity: 'error',
      from: { path: TRANSPORTS },
      to: { path: '^src/(repositories|entities)/' },
    },
    {
      name: 'service-reaches-transport',
      comment: 'Services know nothing of GraphQL, SCIM, sign-in, HTTP or the CLI.',
      severity: 'error',
      from: { path: '^src/(services|repositories|entities|domain)/' },
      to: { path: TRANSPORTS },
    },
    {
      name: 'repository-reaches-service',
      comment:
        'Repositories serve services. The one thing they take from above is the read-model types they build rows into (services/views).',
      severity: 'error',
      from: { path: '^src/(repositories|entities)/' },
      to: { path: '^src/services/', pathNot: '^src/services/views/' },
    },
    {
      name: 'graphql-to-scim',
      comment: 'The three transports (GraphQL, SCIM, browser sign-in) are independent of each other.',
      severity: 'error',
      from: { path: '^src/graphql/' },
      to: { path: '^src/scim/' },
    },
    {
      name: 'graphql-to-auth',
      comment:
        'The three transports (GraphQL, SCIM, browser sign-in) are independent of each other. The one exception: GraphQL authenticates a browser by the session cookie that sign-in sets, so it reads that cookie from its one definition.',
      severity: 'error',
      from: { path: '^src/graphql/' },
      to: { path: '^src/auth/', pathNot: '^src/auth/session-cookie\\.ts$' },
    },
    {
      name: 'scim-to-graphql',
      comment: 'The three transports (GraphQL, SCIM, browser sign-in) are independent of each other.',
      severity: 'error',
      from: { path: '^src/scim/' },
      to: { path: '^src/graphql/' },
    },
    {
      name: 'scim-to-auth',
      comment: 'The three transports (GraphQL, SCIM, browser sign-in) are independent of each other.',
      severity: 'error',
      from: { path: '^src/scim/' },
      to: { path: '^src/auth/' },
    },
    {
      name: 'auth-to-graphql',
      comment: 'The three transports (GraphQL, SCIM, browser sign-in) are independent of each other.',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/graphql/' },
    },
    {
      name: 'auth-to-scim',
      comment: 'The three transports (GraphQL, SCIM, browser sign-in) are independent of each other.',
      severity: 'error',
      from: { path: '^src/auth/' },
      to: { path: '^src/scim/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain (rules, policy, errors) imports nothing of ours but the domain.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'orm-below-services',
      comment: 'Only repositories, entities, migrations and the database set-up touch the ORM or the drivers.',
      severity: 'error',
      from: { path: '^(src|migrations)/', pathNot: DATABASE_SETUP },
      to: { path: 'node_modules/(@mikro-orm|mikro-orm-pglite|pg|@electric-sql/pglite)/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter (decorator metadata reads undefined classes).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|web|test)/' },
  },
};

/**
 * The layer rule, checked: transports (GraphQL, SCIM, browser sign-in, HTTP, CLI) call services; services decide and call
 * repositories; repositories query entities. The ORM stays below the services.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TRANSPORTS = '^src/(graphql|scim|auth|export|http|cli)/';
const ROOT = '^src/(main|app|container)\\.ts$';
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
      comment: 'Repositories serve services; they build rows into read models, which stand below them.',
      severity: 'error',
      from: { path: '^src/(repositories|entities|read-models)/' },
      to: { path: '^src/services/' },
    },
    {
      name: 'read-model-reaches-up',
      comment: 'Read models are plain data: they know the domain and the entities they are read from, nothing above.',
      severity: 'error',
      from: { path: '^src/read-models/' },
      to: { path: '^src/', pathNot: '^src/(read-models|domain|entities)/' },
    },
    {
      name: 'reaches-composition-root',
      comment:
        'Only the entry points (main.ts, and the CLI opening its own database in cli/local.ts) import the composition root; every layer is handed what it uses (the services, src/services/services.ts; a transport, src/http/transport-deps.ts).',
      severity: 'error',
      from: { path: '^src/', pathNot: ROOT + '|^src/cli/local\\.ts$' },
      to: { path: ROOT },
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
      name: 'http-reaches-transport',
      comment:
        'src/http holds what every transport shares (rate limits, metrics, headers, errors): it imports none of them.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(graphql|scim|auth|export)/' },
    },
    {
      name: 'export-to-other-transports',
      comment:
        'The CSV export answers as /graphql does (its request authentication and error shape), and knows nothing of SCIM or sign-in.',
      severity: 'error',
      from: { path: '^src/export/' },
      to: { path: '^src/(scim|auth)/' },
    },
    {
      name: 'transport-to-export',
      comment: 'No transport depends on the CSV export.',
      severity: 'error',
      from: { path: '^src/(graphql|scim|auth|http)/' },
      to: { path: '^src/export/' },
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
      name: 'domain-uses-no-package',
      comment: 'The domain is plain TypeScript: no framework, no library, no Node.js module.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: [
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-bundled',
          'npm-no-pkg',
          'npm-unknown',
          'core',
          'unknown',
        ],
      },
    },
    {
      name: 'scim-protocol-to-resources',
      comment:
        'The SCIM protocol (filters, PATCH paths, projection, /Schemas) knows no resource: the router and the resources hand it their declarations.',
      severity: 'error',
      from: { path: '^src/scim/protocol/' },
      to: { path: '^src/scim/', pathNot: '^src/scim/protocol/' },
    },
    {
      name: 'graphql-common-to-features',
      comment:
        'graphql/common holds what every feature folder shares (connections, paging, enums, loaders); it imports no feature and nothing else of the GraphQL transport.',
      severity: 'error',
      from: { path: '^src/graphql/common/' },
      to: { path: '^src/graphql/', pathNot: '^src/graphql/common/' },
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

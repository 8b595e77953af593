/**
 * The layer rule, checked: transports (GraphQL, SCIM, HTTP, CLI) call services; services decide and call
 * repositories; repositories query entities. The ORM stays below the services.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TRANSPORTS = '^src/(graphql|scim|http|cli)/';
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
      comment: 'Services know nothing of GraphQL, SCIM, HTTP or the CLI.',
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
      comment: 'The two API transports are independent of each other.',
      severity: 'error',
      from: { path: '^src/graphql/' },
      to: { path: '^src/scim/' },
    },
    {
      name: 'scim-to-graphql',
      comment: 'The two API transports are independent of each other.',
      severity: 'error',
      from: { path: '^src/scim/' },
      to: { path: '^src/graphql/' },
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

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // CLI, server and crash tests spawn the compiled tree; this builds it when a source is newer.
  globalSetup: '<rootDir>/test/global-setup.ts',
  transform: {
    // .js too: ESM-only packages listed in transformIgnorePatterns (jose) are compiled to CommonJS.
    '^.+\\.(ts|js)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  testTimeout: 60000,
  // Each test file gets its own database schema; two workers keep the 2-core machine busy without thrashing.
  maxWorkers: 2,
};

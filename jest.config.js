const { existsSync } = require('node:fs');

// Browser tests (*.browser.test.ts) need Chromium. Without it they are skipped with one line saying how to run them,
// unless REQUIRE_BROWSER=1 (CI sets it), where a missing browser must fail the run rather than pass it silently.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const skipBrowser = !existsSync(chromium) && process.env.REQUIRE_BROWSER !== '1';
if (skipBrowser) {
  console.warn(
    `browser tests skipped: no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH; REQUIRE_BROWSER=1 makes this an error)`,
  );
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(skipBrowser ? ['\\.browser\\.test\\.ts$'] : [])],
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

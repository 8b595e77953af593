/**
 * The layer rules of `npm run lint` refuse an import across each boundary: one probe file per rule, in a scratch
 * tree laid out like the project, checked with the project's own configurations (.dependency-cruiser.cjs for the
 * server, eslint.config.mjs for the console). Each probe must break its rule and no other; a control file that
 * imports only what the layers allow must break none.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'node_modules/.bin');

/** Files the probes import: one in each place a rule names. */
const TARGETS = [
  'src/container.ts',
  'src/domain/rule.ts',
  'src/entities/thing.entity.ts',
  'src/read-models/thing.view.ts',
  'src/repositories/thing.repository.ts',
  'src/services/thing.service.ts',
  'src/graphql/context.ts',
  'src/graphql/common/connections.ts',
  'src/graphql/member/member.type.ts',
  'src/scim/router.ts',
  'src/scim/protocol/filter.ts',
  'src/scim/users/user-attributes.ts',
  'src/auth/router.ts',
  'src/auth/session-cookie.ts',
  'src/http/rate-limit.ts',
  'src/export/router.ts',
];

/** probe file -> [what it imports, the one rule that must refuse it] */
const PROBES: Record<string, [string, string]> = {
  'src/graphql/reaches-data.ts': ['../repositories/thing.repository', 'transport-reaches-data'],
  'src/services/reaches-transport.ts': ['../http/rate-limit', 'service-reaches-transport'],
  'src/repositories/reaches-service.ts': ['../services/thing.service', 'repository-reaches-service'],
  'src/read-models/reaches-up.ts': ['../repositories/thing.repository', 'read-model-reaches-up'],
  'src/scim/reaches-root.ts': ['../container', 'reaches-composition-root'],
  'src/graphql/to-scim.ts': ['../scim/router', 'graphql-to-scim'],
  'src/graphql/to-auth.ts': ['../auth/router', 'graphql-to-auth'],
  'src/scim/to-graphql.ts': ['../graphql/context', 'scim-to-graphql'],
  'src/scim/to-auth.ts': ['../auth/session-cookie', 'scim-to-auth'],
  'src/auth/to-graphql.ts': ['../graphql/context', 'auth-to-graphql'],
  'src/auth/to-scim.ts': ['../scim/router', 'auth-to-scim'],
  'src/domain/impure.ts': ['../read-models/thing.view', 'domain-is-pure'],
  'src/domain/uses-package.ts': ['express', 'domain-uses-no-package'],
  'src/domain/uses-node.ts': ['node:crypto', 'domain-uses-no-package'],
  'src/services/uses-orm.ts': ['@mikro-orm/core', 'orm-below-services'],
  'src/scim/protocol/knows-users.ts': ['../users/user-attributes', 'scim-protocol-to-resources'],
  'src/graphql/common/knows-member.ts': ['../member/member.type', 'graphql-common-to-features'],
  'src/graphql/common/knows-context.ts': ['../context', 'graphql-common-to-features'],
  'src/http/knows-graphql.ts': ['../graphql/context', 'http-reaches-transport'],
  'src/export/knows-scim.ts': ['../scim/router', 'export-to-other-transports'],
  'src/graphql/knows-export.ts': ['../export/router', 'transport-to-export'],
};

/** Imports every layer allows: down the layers, and GraphQL reading the session cookie sign-in sets. */
const CONTROL = {
  'src/graphql/member/allowed.ts': [
    '../common/connections',
    '../context',
    '../../services/thing.service',
    '../../read-models/thing.view',
    '../../domain/rule',
    '../../auth/session-cookie',
  ],
  'src/repositories/allowed.ts': ['../read-models/thing.view', '../entities/thing.entity', '@mikro-orm/core'],
  'src/scim/users/allowed.ts': ['../protocol/filter', '../../http/rate-limit'],
  'src/export/allowed.ts': ['../graphql/context', '../http/rate-limit', '../services/thing.service'],
};

const importsOf = (specifiers: string[]) =>
  specifiers.map((s, i) => `import * as m${i} from '${s}';\nexport { m${i} };\n`).join('');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'layer-rules-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    writeFileSync(path.join(scratch, file), text);
  };
  for (const file of TARGETS) write(file, 'export const probe = 1;\n');
  for (const [file, [specifier]] of Object.entries(PROBES)) write(file, importsOf([specifier]));
  for (const [file, specifiers] of Object.entries(CONTROL)) write(file, importsOf(specifiers));
  // Two files that import each other.
  write('src/services/circle-a.ts', importsOf(['./circle-b']));
  write('src/services/circle-b.ts', importsOf(['./circle-a']));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node' } }));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('layer rules (.dependency-cruiser.cjs)', () => {
  let violations: Violation[];

  beforeAll(() => {
    const run = spawnSync(
      path.join(BIN, 'depcruise'),
      ['src', '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json'],
      { cwd: scratch, encoding: 'utf8' },
    );
    violations = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  });

  const rulesBrokenBy = (file: string) => [
    ...new Set(violations.filter((v) => v.from === file).map((v) => v.rule.name)),
  ];

  it.each(Object.entries(PROBES))('%s breaks exactly its rule', (file, [, rule]) => {
    expect(rulesBrokenBy(file)).toEqual([rule]);
  });

  it('refuses a circle of imports', () => {
    expect(rulesBrokenBy('src/services/circle-a.ts')).toEqual(['no-circular']);
  });

  it('lets every layer import what lies below it', () => {
    expect(Object.keys(CONTROL).flatMap(rulesBrokenBy)).toEqual([]);
  });

  it('has a probe for every rule it defines', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the configuration is CommonJS
    const config = require(path.join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[] };
    const probed = new Set([...Object.values(PROBES).map(([, rule]) => rule), 'no-circular']);
    expect(config.forbidden.map((r) => r.name).filter((name) => !probed.has(name))).toEqual([]);
  });
});

describe('console rule (eslint.config.mjs)', () => {
  it('refuses a console import of server code, and only that', () => {
    const probe = [
      "import { ErrorCode } from '../../src/domain/errors';",
      "import { formatDate } from './format';",
      'export { ErrorCode, formatDate };',
      '',
    ].join('\n');
    const run = spawnSync(
      path.join(BIN, 'eslint'),
      ['--stdin', '--stdin-filename', 'web/src/layer-probe.ts', '--format', 'json'],
      { cwd: ROOT, input: probe, encoding: 'utf8' },
    );
    const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; line: number }[] }[];
    expect(result.messages.map((m) => [m.ruleId, m.line])).toEqual([['layers/console-stays-in-web', 1]]);
  });
});

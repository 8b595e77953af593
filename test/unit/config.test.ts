import { ConfigError, loadConfig } from '../../src/config';
import { databaseTarget } from '../../src/database-target';

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

/** The message a bad environment produces: a ConfigError with one line, naming the variable. */
function configError(vars: Record<string, string>): string {
  try {
    loadConfig(env(vars));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has defaults for an empty environment (the newcomer path)', () => {
    const config = loadConfig(env({}));
    expect(config).toMatchObject({
      PORT: 4000,
      HOST: '0.0.0.0',
      DATA_DIR: './data',
      PUBLIC_URL: 'http://localhost:4000',
      PUBLIC_URL_SET: false,
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Rate limits: a SCIM token bucket that sustains 50 requests/s per organization with bursts of 200
      // (Microsoft Entra needs 25/s), and no proxy trusted to name the client's address.
      SCIM_RATE_LIMIT_PER_SECOND: 50,
      SCIM_RATE_LIMIT_BURST: 200,
      GRAPHQL_RATE_LIMIT: 600,
      AUTH_FAILURE_RATE_LIMIT: 60,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      TRUST_PROXY: false,
    });
    expect([config.DATABASE_URL, config.SMTP_URL, config.OIDC_ISSUER]).toEqual([undefined, undefined, undefined]);
  });

  it('treats empty strings as unset and derives PUBLIC_URL from PORT', () => {
    const config = loadConfig(env({ PORT: '8080', DATABASE_URL: '', SMTP_URL: ' ', PUBLIC_URL: '' }));
    expect([config.PORT, config.DATABASE_URL, config.SMTP_URL, config.PUBLIC_URL]).toEqual([
      8080,
      undefined,
      undefined,
      'http://localhost:8080',
    ]);
    expect(loadConfig(env({ PUBLIC_URL: 'https://orgs.example.com/' })).PUBLIC_URL).toBe('https://orgs.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: '-1' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:\/\/, postgresql:\/\/ or pglite:\/\//],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL/],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DB_POOL_MAX: '0' }, /DB_POOL_MAX/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be at least 16 characters/],
    [{ METRICS_PORT: '0' }, /METRICS_PORT/],
    [{ OIDC_ISSUER: 'https://issuer.example.com' }, /OIDC_AUDIENCE is required when OIDC_ISSUER is set/],
    [{ SCIM_RATE_LIMIT_PER_SECOND: '0' }, /SCIM_RATE_LIMIT_PER_SECOND/],
    [
      { SCIM_RATE_LIMIT_PER_SECOND: '100', SCIM_RATE_LIMIT_BURST: '50' },
      /SCIM_RATE_LIMIT_BURST must be at least SCIM_RATE_LIMIT_PER_SECOND/,
    ],
    [{ AUTH_FAILURE_RATE_LIMIT: '-5' }, /AUTH_FAILURE_RATE_LIMIT/],
    [
      { TRUST_PROXY: 'proxy.internal' },
      /TRUST_PROXY must be true, false, a hop count, or comma-separated proxy addresses\/subnets \(invalid IP address: proxy.internal\)/,
    ],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY .*invalid range on address: 10.0.0.0\/33/],
    [{ TRUST_PROXY: 'loopback,,10.0.0.1' }, /TRUST_PROXY .*invalid IP address/],
    [{ TRUST_PROXY: '-1' }, /TRUST_PROXY/],
  ])('rejects %j with a one-line ConfigError', (vars, pattern) => {
    expect(configError(vars)).toMatch(/^invalid configuration: /);
    expect(configError(vars)).toMatch(pattern);
  });

  it.each([
    [{ OIDC_TRUST_UNVERIFIED_EMAIL: 'yes' }, /OIDC_TRUST_UNVERIFIED_EMAIL/],
    [{ OIDC_TRUST_UNVERIFIED_EMAIL: '1' }, /OIDC_TRUST_UNVERIFIED_EMAIL/],
    [{ ACCESS_TOKENS_PER_ACCOUNT: '0' }, /ACCESS_TOKENS_PER_ACCOUNT/],
    [{ ACCESS_TOKENS_PER_ACCOUNT: 'many' }, /ACCESS_TOKENS_PER_ACCOUNT/],
    [{ SESSIONS_PER_ACCOUNT: '0' }, /SESSIONS_PER_ACCOUNT/],
    [{ SESSIONS_PER_ACCOUNT: 'lots' }, /SESSIONS_PER_ACCOUNT/],
  ])('rejects %j (identity settings) with a one-line ConfigError', (vars, pattern) => {
    expect(configError(vars)).toMatch(pattern);
  });

  it('trusts only verified OIDC e-mails and caps access tokens at 50 unless told otherwise', () => {
    expect(loadConfig(env({}))).toMatchObject({
      OIDC_TRUST_UNVERIFIED_EMAIL: false,
      ACCESS_TOKENS_PER_ACCOUNT: 50,
      SESSIONS_PER_ACCOUNT: 20,
    });
    expect(loadConfig(env({ SESSIONS_PER_ACCOUNT: '3' })).SESSIONS_PER_ACCOUNT).toBe(3);
    expect(loadConfig(env({ OIDC_TRUST_UNVERIFIED_EMAIL: 'false' })).OIDC_TRUST_UNVERIFIED_EMAIL).toBe(false);
    expect(loadConfig(env({ OIDC_TRUST_UNVERIFIED_EMAIL: 'true', ACCESS_TOKENS_PER_ACCOUNT: '5' }))).toMatchObject({
      OIDC_TRUST_UNVERIFIED_EMAIL: true,
      ACCESS_TOKENS_PER_ACCOUNT: 5,
    });
  });

  it('accepts OIDC with an audience, and both PostgreSQL schemes', () => {
    expect(loadConfig(env({ OIDC_ISSUER: 'https://issuer.example.com', OIDC_AUDIENCE: 'orgd' })).OIDC_AUDIENCE).toBe(
      'orgd',
    );
    expect(loadConfig(env({ DATABASE_URL: 'postgresql://u@h/db' })).DATABASE_URL).toBe('postgresql://u@h/db');
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    ['false', false],
    ['FALSE', false],
    ['', false],
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8,fd00::/8', ['loopback', '10.0.0.0/8', 'fd00::/8']],
    ['192.168.1.10/255.255.255.0', ['192.168.1.10/255.255.255.0']],
  ])("takes %j as Express's trust proxy %j", (value, expected) => {
    expect(loadConfig(env({ TRUST_PROXY: value })).TRUST_PROXY).toEqual(expected);
  });
});

describe('database target', () => {
  it('picks PGlite under DATA_DIR, throwaway PGlite, a PGlite path, or PostgreSQL', () => {
    expect(databaseTarget(undefined, './data')).toEqual({ kind: 'pglite-file', dataDir: './data' });
    expect(databaseTarget('pglite://memory', '/tmp/d')).toEqual({ kind: 'pglite-memory', dataDir: '/tmp/d' });
    expect(databaseTarget('pglite:///var/lib/orgd', './data')).toEqual({
      kind: 'pglite-file',
      dataDir: '/var/lib/orgd',
    });
    expect(databaseTarget('postgres://u@h/db', './data')).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h/db',
      dataDir: './data',
    });
  });
});

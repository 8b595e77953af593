import proxyAddr from 'proxy-addr';
import { z } from 'zod';

// The one place that reads process.env. Parsed once; a bad value stops start-up with a one-line message.
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());
/** A comma-separated list of origins (scheme://host[:port], nothing after), e.g. for CORS_ORIGINS. */
const originList = z.preprocess(
  (v) =>
    typeof v === 'string'
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  z.array(
    z.string().refine((value) => {
      try {
        return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;
      } catch {
        return false;
      }
    }, 'must list origins such as https://app.example.com (scheme, host and port only), separated by commas'),
  ),
);
// "true" or "false" only: z.coerce.boolean would read "false" as true.
const trueFalse = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
);
const positiveInt = (fallback: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(fallback));

/**
 * Express's `trust proxy`, in the forms Express understands: `false` (the default: the socket's address is the
 * client), `true` (the left-most X-Forwarded-For entry, only behind a proxy that overwrites it), a hop count, or
 * comma-separated addresses and subnets of the proxies (`loopback`, `linklocal`, `uniquelocal` included).
 */
const trustProxy = z
  .preprocess(emptyToUndefined, z.string().optional())
  .transform((raw, ctx): boolean | number | string[] => {
    const value = raw?.trim() ?? 'false';
    if (/^false$/i.test(value)) return false;
    if (/^true$/i.test(value)) return true;
    if (/^\d+$/.test(value)) return Number(value);
    const proxies = value.split(',').map((entry) => entry.trim());
    try {
      proxyAddr.compile(proxies);
      return proxies;
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `must be true, false, a hop count, or comma-separated proxy addresses/subnets (${(err as Error).message})`,
      });
      return z.NEVER;
    }
  });

const schema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(4000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(postgres|postgresql|pglite):\/\//, 'must start with postgres://, postgresql:// or pglite://')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  PUBLIC_URL: optionalUrl,
  SMTP_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
  ),
  SMTP_FROM: z.preprocess(emptyToUndefined, z.string().default('orgd <no-reply@orgd.local>')),
  OIDC_ISSUER: optionalUrl,
  OIDC_AUDIENCE: optionalString,
  OIDC_JWKS_URL: optionalUrl,
  OIDC_CLIENT_ID: optionalString, // browser sign-in (authorization code + PKCE) when set with OIDC_ISSUER
  OIDC_CLIENT_SECRET: optionalString,
  // For issuers that never send email_verified: their e-mail claim is then trusted to bind an account.
  OIDC_TRUST_UNVERIFIED_EMAIL: trueFalse,
  ACCESS_TOKENS_PER_ACCOUNT: positiveInt(50), // live (unrevoked, unexpired) access tokens one account may hold
  SESSIONS_PER_ACCOUNT: positiveInt(20), // live browser sessions per account; a new one revokes the oldest
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(logLevels).default('info')),
  DB_POOL_MAX: positiveInt(10),
  DB_POOL_ACQUIRE_TIMEOUT_MS: positiveInt(15_000),
  SCIM_RATE_LIMIT_PER_SECOND: positiveInt(50), // sustained SCIM requests per organization
  SCIM_RATE_LIMIT_BURST: positiveInt(200), // SCIM requests per organization at once
  GRAPHQL_RATE_LIMIT: positiveInt(600), // requests per account per window
  AUTH_FAILURE_RATE_LIMIT: positiveInt(60), // failed GraphQL authentications per client address per window
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  TRUST_PROXY: trustProxy,
  SIGN_IN_RATE_LIMIT: positiveInt(30), // sign-in attempts per client address per window
  SIGN_IN_TARGET_RATE_LIMIT: positiveInt(5), // sign-in attempts per e-mail address or presented secret per window
  CORS_ORIGINS: originList, // third-party frontends allowed to call /graphql with bearer tokens
  SCIM_LOG_RETENTION: positiveInt(10000), // request-log rows kept per organization
  SCIM_MEMBERS_PER_RESPONSE: positiveInt(10000), // group member entries one SCIM response carries at most
  // Prometheus /metrics: on the main port behind this bearer token, and/or unguarded on a port of its own.
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  METRICS_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(65535).optional()),
  // The metrics port answers without a token: loopback only, unless the operator names an interface the scraper uses.
  METRICS_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  // Webhooks to loopback and private addresses, and over http: for development and tests only.
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: trueFalse,
  // The key that encrypts webhook signing secrets at rest (base64 of 32 bytes); see docs/webhooks.md.
  WEBHOOK_SECRET_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be the base64 of 32 random bytes')
      .optional(),
  ),
});

export type Config = Omit<z.infer<typeof schema>, 'PUBLIC_URL'> & {
  PUBLIC_URL: string;
  /** False when PUBLIC_URL was left unset (a local start at http://localhost:PORT, reachable by any loopback name). */
  PUBLIC_URL_SET: boolean;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const value = parsed.data;
  if (value.SCIM_RATE_LIMIT_BURST < value.SCIM_RATE_LIMIT_PER_SECOND) {
    throw new ConfigError('invalid configuration: SCIM_RATE_LIMIT_BURST must be at least SCIM_RATE_LIMIT_PER_SECOND');
  }
  if (value.OIDC_ISSUER && !value.OIDC_AUDIENCE) {
    throw new ConfigError('invalid configuration: OIDC_AUDIENCE is required when OIDC_ISSUER is set');
  }
  const publicUrl = (value.PUBLIC_URL ?? `http://localhost:${value.PORT}`).replace(/\/+$/, '');
  return { ...value, PUBLIC_URL: publicUrl, PUBLIC_URL_SET: value.PUBLIC_URL !== undefined };
}

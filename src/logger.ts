import pino from 'pino';

/** Structured logs. Credentials never reach them: authorization headers and secrets are redacted. */
export function createLogger(level: string): pino.Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.apiKey', '*.token', '*.password', 'apiKey', 'token', 'password'],
      censor: '[redacted]',
    },
  });
}

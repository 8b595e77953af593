import pino from 'pino';

/**
 * Structured logs. Credentials never reach them: authorization headers and secret-named fields are redacted.
 * Standard output is written asynchronously (a request never waits for its log line to reach the terminal or
 * pipe); pino writes what is buffered synchronously when the process exits.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        '*.apiKey',
        '*.token',
        '*.password',
        'apiKey',
        'token',
        'password',
      ],
      censor: '[redacted]',
    },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

import type pino from 'pino';
import { type Config } from '../config';
import { type Services } from '../services/services';
import { type Metrics } from './metrics';
import { type RateLimits } from './rate-limit';

/** What the composition root hands each transport: the services and the HTTP machinery they share. */
export interface TransportDeps {
  config: Config;
  logger: pino.Logger;
  services: Services;
  rateLimits: RateLimits;
  /** Null unless METRICS_TOKEN or METRICS_PORT is set: nothing is measured that nobody reads. */
  metrics: Metrics | null;
}

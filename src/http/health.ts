import { Router } from 'express';
import { type Orm, databaseAnswers } from '../db';

/** Liveness says the process runs; readiness says the database answers (load balancers use it). */
export function healthRouter(orm: Orm): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ok = await databaseAnswers(orm);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', database: ok ? 'up' : 'down' });
  });
  return router;
}

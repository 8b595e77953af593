import { Router } from 'express';
import { Container } from '../container';

/** Placeholder until the SCIM adapter lands. */
export function createScimRouter(_container: Container): Router {
  const router = Router();
  router.use((_req, res) => {
    res.status(501).type('application/scim+json').json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '501', detail: 'not implemented' });
  });
  return router;
}

import { Router } from 'express';
import { Container } from '../container';

/** Placeholder until the GraphQL API lands: POST /graphql answers 501. */
export async function createGraphqlRouter(_container: Container): Promise<{ router: Router; stop: () => Promise<void> }> {
  const router = Router();
  router.all('/', (_req, res) => {
    res.status(501).json({ errors: [{ message: 'GraphQL API not implemented yet', extensions: { code: 'NOT_IMPLEMENTED' } }] });
  });
  return { router, stop: async () => undefined };
}

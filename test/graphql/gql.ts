import { type Express } from 'express';
import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type Services } from '../../src/services/services';
import { OutboxMessage } from '../../src/entities';
import { type Orm } from '../../src/db';

export interface GqlResponse {
  status: number;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
  };
}

/** POST /graphql through the real Express app. */
export async function gql(
  app: Express,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResponse> {
  const req = request(app).post('/graphql').set('content-type', 'application/json');
  if (token) req.set('authorization', `Bearer ${token}`);
  const res = await req.send({ query, variables });
  return { status: res.status, body: res.body };
}

/** The data of a response that must have no errors. */
export async function ok(
  app: Express,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Record<string, any>> {
  const res = await gql(app, token, query, variables);
  if (res.status !== 200 || res.body.errors)
    throw new Error(`GraphQL failed (${res.status}): ${JSON.stringify(res.body.errors ?? res.body)}`);
  return res.body.data!;
}

export const codes = (res: GqlResponse): string[] => (res.body.errors ?? []).map((e) => e.extensions?.code);

/** An access token for an account (created when missing), as `orgctl token create` gives it. */
export async function tokenFor(services: Services, email: string): Promise<string> {
  return (await services.tokens.create(cliActor(), { email })).token;
}

/** The invitation token, read from the e-mail waiting in the outbox. */
export async function invitationTokenOf(orm: Orm, memberId: string): Promise<string> {
  const messages = await orm.em.fork().find(OutboxMessage, { memberId }, { orderBy: { createdAt: 'desc' } });
  const token = /\n(inv_[\w-]+)\n/.exec(messages[0]?.mail.text ?? '')?.[1];
  if (!token) throw new Error(`no invitation e-mail for member ${memberId}`);
  return token;
}

/** Counts SQL statements sent to the database while `work` runs. */
export async function countStatements(
  orm: Orm,
  work: () => Promise<unknown>,
): Promise<{ count: number; sql: string[] }> {
  const knex = orm.em.getConnection().getKnex();
  const sql: string[] = [];
  const listener = (q: { sql: string }) => sql.push(q.sql);
  knex.on('query', listener);
  try {
    await work();
  } finally {
    knex.off('query', listener);
  }
  return { count: sql.length, sql };
}

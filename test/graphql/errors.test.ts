import 'reflect-metadata';
import { type Express } from 'express';
import { GraphQLError } from 'graphql';
import request from 'supertest';
import { createApp } from '../../src/app';
import { DomainError, ErrorCode } from '../../src/domain/errors';
import {
  type Disposition,
  attempt,
  dispositionOf,
  formatError,
  httpHeadersOf,
  refusal,
  requestFailure,
} from '../../src/graphql/errors';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { makeOrganization, unique } from '../helpers/factories';
import { type OidcIssuer, startOidcIssuer } from '../helpers/oidc-issuer';
import { codes, gql } from './gql';

const BAD_INPUT: Disposition = { code: 'BAD_USER_INPUT', userError: true, status: 400, requestLevel: false };

// One row per domain error code: its GraphQL code, whether a mutation reports it in userErrors, the HTTP status of a
// request it refuses, and whether it decides the status of an executed operation too.
const table: Record<ErrorCode, Disposition> = {
  [ErrorCode.NOT_FOUND]: { code: 'NOT_FOUND', userError: false, status: 404, requestLevel: false },
  [ErrorCode.FORBIDDEN]: { code: 'FORBIDDEN', userError: false, status: 403, requestLevel: false },
  [ErrorCode.UNAUTHENTICATED]: { code: 'UNAUTHENTICATED', userError: false, status: 401, requestLevel: true },
  [ErrorCode.RATE_LIMITED]: { code: 'RATE_LIMITED', userError: false, status: 429, requestLevel: true },
  [ErrorCode.UNAVAILABLE]: { code: 'SERVICE_UNAVAILABLE', userError: false, status: 503, requestLevel: true },
  [ErrorCode.INVALID_INPUT]: BAD_INPUT,
  [ErrorCode.DUPLICATE_EMAIL]: BAD_INPUT,
  [ErrorCode.DUPLICATE_USER_NAME]: BAD_INPUT,
  [ErrorCode.DUPLICATE_EXTERNAL_ID]: BAD_INPUT,
  [ErrorCode.DUPLICATE_GROUP]: BAD_INPUT,
  [ErrorCode.LAST_OWNER]: BAD_INPUT,
  [ErrorCode.SEAT_LIMIT]: BAD_INPUT,
  [ErrorCode.INVALID_STATE]: BAD_INPUT,
  [ErrorCode.INVALID_TOKEN]: BAD_INPUT,
  [ErrorCode.EMAIL_MISMATCH]: BAD_INPUT,
  [ErrorCode.VERSION_MISMATCH]: BAD_INPUT,
  [ErrorCode.UNKNOWN_MEMBERS]: BAD_INPUT,
  [ErrorCode.MANAGED_BY_IDP]: BAD_INPUT,
};

/** The headers that go with a code: the auth scheme on 401, Retry-After when the error says when to retry. */
const headersFor = (code: ErrorCode): Record<string, string> =>
  code === ErrorCode.UNAUTHENTICATED
    ? { 'www-authenticate': 'Bearer realm="orgd"' }
    : code === ErrorCode.RATE_LIMITED
      ? { 'retry-after': '7' }
      : {};

/** A domain error of `code`, with the retry delay a rate limit always carries. */
const domainError = (code: ErrorCode) =>
  new DomainError(
    code,
    `message for ${code}`,
    'someField',
    code === ErrorCode.RATE_LIMITED ? { retryAfterSeconds: 7 } : {},
  );

/** What a resolver error looks like by the time Apollo formats it. */
const located = (original: Error) =>
  new GraphQLError(original.message, { path: ['organization', 'x'], originalError: original });

/** What pg reports when the database is not there. */
const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('GraphQL rendering of domain errors', () => {
  it('covers every ErrorCode', () => {
    expect(Object.keys(table).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it.each(Object.values(ErrorCode))('%s', async (code) => {
    const row = table[code];
    expect(dispositionOf(code)).toEqual(row);
    const err = domainError(code);
    const extensions = {
      code: row.code,
      ...(row.code !== code ? { reason: code } : {}),
      field: 'someField',
      ...(code === ErrorCode.RATE_LIMITED ? { retryAfter: 7 } : {}),
    };
    // As a top-level error: its GraphQL code, its message, the domain code when they differ.
    const formatted = formatError({ message: err.message, path: ['organization', 'x'] }, located(err));
    expect(formatted).toEqual({ message: `message for ${code}`, path: ['organization', 'x'], extensions });
    // Refusing a request before execution: the whole HTTP answer.
    expect(httpHeadersOf(err)).toEqual(headersFor(code));
    expect(refusal(err)).toEqual({
      status: row.status,
      headers: headersFor(code),
      body: { errors: [{ message: err.message, extensions }] },
    });
    // Raised by a resolver: only an error about the request decides the response's status.
    expect(requestFailure([located(new Error('a bug')), located(err)])).toBe(row.requestLevel ? err : undefined);
    // In a mutation: business failures become userErrors, the rest fails the field.
    const outcome = attempt(() => Promise.reject(err), { field: 'memberIds[3]' });
    if (row.userError)
      await expect(outcome).resolves.toEqual({
        value: null,
        userErrors: [{ code, message: err.message, field: 'memberIds[3].someField' }],
      });
    else await expect(outcome).rejects.toBe(err);
    // In a bulk item, after the organization-wide check, every domain error is the item's result.
    await expect(attempt(() => Promise.reject(err), { everyDomainError: true })).resolves.toMatchObject({
      userErrors: [{ code }],
    });
  });

  it('renders a database outage as the domain UNAVAILABLE error, the most severe request-level error first', () => {
    const outage = located(connectionRefused());
    expect(formatError({ message: 'x', path: ['organization', 'x'] }, outage)).toEqual({
      message: 'The service is temporarily unavailable; retry later.',
      path: ['organization', 'x'],
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'UNAVAILABLE' },
    });
    const unauthenticated = located(domainError(ErrorCode.UNAUTHENTICATED));
    expect(requestFailure([unauthenticated, outage])?.code).toBe(ErrorCode.UNAVAILABLE);
    expect(requestFailure([located(domainError(ErrorCode.RATE_LIMITED)), unauthenticated])?.code).toBe(
      ErrorCode.RATE_LIMITED,
    );
  });

  it('masks anything that is not a domain error or a GraphQL client error', () => {
    const bug = located(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(
      formatError(
        { message: bug.message, path: ['organization', 'x'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        bug,
      ),
    ).toEqual({
      message: 'Internal server error',
      path: ['organization', 'x'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    const parse = new GraphQLError('Syntax Error: Expected Name', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(formatError({ message: parse.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, parse)).toEqual({
      message: parse.message,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('rewrites class-validator failures without echoing the input back', () => {
    const validationErrors = [
      {
        property: 'emails',
        value: ['x'],
        target: { secret: 'input' },
        constraints: { isEmail: 'each value in emails must be an email' },
      },
      {
        property: 'name',
        target: {},
        children: [
          {
            property: 'givenName',
            constraints: { maxLength: 'givenName must be shorter than or equal to 200 characters' },
          },
        ],
      },
    ];
    const err = new GraphQLError('Argument Validation Error', {
      extensions: { code: 'BAD_USER_INPUT', validationErrors },
    });
    const formatted = formatError(
      { message: err.message, extensions: { code: 'BAD_USER_INPUT', validationErrors } },
      err,
    );
    expect(formatted).toEqual({
      message:
        'Invalid input: emails: each value in emails must be an email; name.givenName: givenName must be shorter than or equal to 200 characters',
      extensions: {
        code: 'BAD_USER_INPUT',
        fields: [
          { field: 'emails', message: 'each value in emails must be an email' },
          { field: 'name.givenName', message: 'givenName must be shorter than or equal to 200 characters' },
        ],
      },
    });
  });
});

const VIEWER = '{ viewer { user { id email } } }';
const AUDIENCE = 'orgd-api';

describe(`GraphQL cross-cutting errors through the app (${engineName()})`, () => {
  let t: TestApp;
  let idp: OidcIssuer;
  let oidcApp: Express;
  let stopOidcApp: () => Promise<void>;
  beforeAll(async () => {
    t = await createTestApp({ GRAPHQL_RATE_LIMIT: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    idp = await startOidcIssuer({ audience: AUDIENCE });
    const app = await createApp({ ...t, config: { ...t.config, OIDC_ISSUER: idp.url, OIDC_AUDIENCE: AUDIENCE } });
    oidcApp = app.app;
    stopOidcApp = app.stop;
  });
  afterAll(async () => {
    await stopOidcApp?.();
    await idp?.close();
    await t?.close();
  });

  it('answers a request without credentials 401 UNAUTHENTICATED with WWW-Authenticate, and no data', async () => {
    const res = await request(t.app).post('/graphql').set('content-type', 'application/json').send({ query: VIEWER });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="orgd"');
    expect(res.body).toEqual({
      errors: [{ message: expect.stringMatching(/Authentication required/), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('answers 401, not 200, when a resolver finds the account gone during execution', async () => {
    // A JWT login is cached by (issuer, subject): the account can disappear between authentication and the resolver.
    const token = await idp.sign({ email: `gone-${unique()}@example.test`, email_verified: true });
    const first = await gql(oidcApp, token, VIEWER);
    expect(first.status).toBe(200);
    await t.orm.em.fork().execute('delete from app_user where id = ?', [first.body.data!.viewer.user.id]);
    const res = await request(oidcApp)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${token}`)
      .send({ query: VIEWER });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="orgd"');
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['viewer'], extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
  });

  it('answers 429 RATE_LIMITED with Retry-After, and the same delay in the error, once an account spends its budget', async () => {
    const { ownerToken } = await makeOrganization(t.services);
    for (let i = 0; i < 3; i++) expect((await gql(t.app, ownerToken, VIEWER)).status).toBe(200);
    const res = await request(t.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${ownerToken}`)
      .send({ query: VIEWER });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(res.body.errors[0]).toEqual({
      message: `Too many requests; retry in ${retryAfter} s.`,
      extensions: { code: 'RATE_LIMITED', retryAfter },
    });
    expect(codes({ status: res.status, body: res.body })).toEqual(['RATE_LIMITED']);
  });
});

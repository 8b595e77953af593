import request from 'supertest';
import { DomainError, ErrorCode, rateLimited, unavailable } from '../../src/domain/errors';
import { scimErrorFromDomain, toScimError } from '../../src/scim/protocol/error-mapping';
import { SCIM_ERROR_SCHEMA, ScimError, type ScimErrorType, scimErrorBody } from '../../src/scim/protocol/errors';
import { type TestApp, createTestApp } from '../helpers/app';
import { engineName } from '../helpers/db';
import { scim, scimOrg } from '../helpers/scim';
import { expectScimError } from './support';

interface Row {
  status: number;
  scimType?: ScimErrorType;
}

const INVALID_VALUE: Row = { status: 400, scimType: 'invalidValue' };
const UNIQUENESS: Row = { status: 409, scimType: 'uniqueness' };

// One row per domain error code: the SCIM status and scimType (RFC 7644 §3.12) it is answered with.
const table: Record<ErrorCode, Row> = {
  [ErrorCode.NOT_FOUND]: { status: 404 },
  [ErrorCode.FORBIDDEN]: { status: 403 },
  [ErrorCode.UNAUTHENTICATED]: { status: 401 },
  [ErrorCode.INVALID_INPUT]: INVALID_VALUE,
  [ErrorCode.DUPLICATE_EMAIL]: UNIQUENESS,
  [ErrorCode.DUPLICATE_USER_NAME]: UNIQUENESS,
  [ErrorCode.DUPLICATE_EXTERNAL_ID]: UNIQUENESS,
  [ErrorCode.DUPLICATE_GROUP]: UNIQUENESS,
  [ErrorCode.LAST_OWNER]: INVALID_VALUE,
  [ErrorCode.SEAT_LIMIT]: INVALID_VALUE,
  [ErrorCode.INVALID_STATE]: INVALID_VALUE,
  [ErrorCode.INVALID_TOKEN]: INVALID_VALUE,
  [ErrorCode.EMAIL_MISMATCH]: INVALID_VALUE,
  [ErrorCode.VERSION_MISMATCH]: { status: 412 },
  [ErrorCode.UNKNOWN_MEMBERS]: INVALID_VALUE,
  [ErrorCode.MANAGED_BY_IDP]: { status: 400, scimType: 'mutability' },
  [ErrorCode.RATE_LIMITED]: { status: 429 },
  [ErrorCode.UNAVAILABLE]: { status: 503 },
};

/** The headers that go with a code: the auth scheme on 401, Retry-After when the error says when to retry. */
const headersFor = (code: ErrorCode): Record<string, string> =>
  code === ErrorCode.UNAUTHENTICATED
    ? { 'WWW-Authenticate': 'Bearer realm="scim"' }
    : code === ErrorCode.RATE_LIMITED
      ? { 'Retry-After': '7' }
      : {};

describe('SCIM rendering of domain errors', () => {
  it('covers every ErrorCode', () => {
    expect(Object.keys(table).sort()).toEqual(Object.values(ErrorCode).sort());
  });

  it.each(Object.values(ErrorCode))('%s', (code) => {
    const row = table[code];
    const err = new DomainError(
      code,
      `message for ${code}`,
      'someField',
      code === ErrorCode.RATE_LIMITED ? { retryAfterSeconds: 7 } : {},
    );
    const scimError = scimErrorFromDomain(err);
    expect([scimError.status, scimError.scimType, scimError.headers]).toEqual([
      row.status,
      row.scimType,
      headersFor(code),
    ]);
    // RFC 7644 §3.12: the Error schema, the status as a string, scimType only when there is one.
    expect(scimErrorBody(scimError)).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(row.status),
      ...(row.scimType ? { scimType: row.scimType } : {}),
      detail: `message for ${code}`,
    });
    expect(toScimError(err)).toEqual(scimError);
  });

  it('answers a database outage as the domain UNAVAILABLE error, a ScimError as it is, and a bug not at all', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toScimError(refused)).toEqual(scimErrorFromDomain(unavailable()));
    expect(toScimError(new Error('wrapped', { cause: refused }))?.status).toBe(503);
    const own = new ScimError(400, 'invalidFilter', 'bad filter');
    expect(toScimError(own)).toBe(own);
    expect(toScimError(new TypeError('a bug'))).toBeNull();
  });

  it('says when to retry a rate-limited request, in the header and the detail', () => {
    const err = scimErrorFromDomain(rateLimited(3, 'too many requests for this organization'));
    expect(err.headers).toEqual({ 'Retry-After': '3' });
    expect(err.detail).toBe('too many requests for this organization; retry in 3 s.');
  });
});

describe(`SCIM cross-cutting errors through the app (${engineName()})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // One request per second and no burst: the second of two quick requests is over budget.
    t = await createTestApp({ SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: '1' });
  });
  afterAll(() => t?.close());

  it('answers a missing or wrong key 401 with WWW-Authenticate and a SCIM error body', async () => {
    const o = await scimOrg(t);
    for (const authorization of [undefined, `Bearer ${o.apiKey}x`]) {
      const req = request(t.app).get(`${o.base}/Users`);
      const res = await (authorization ? req.set('Authorization', authorization) : req);
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="scim"');
      expect(res.body.scimType).toBeUndefined();
    }
  });

  it('answers a request over the organization budget 429 with Retry-After and a SCIM error body', async () => {
    const o = await scimOrg(t);
    // Fixed one-second windows: of four quick requests, at most two (either side of a window's end) pass.
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await scim(t, o).get('/Users?count=1'));
    const limited = responses.find((r) => r.status === 429);
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(limited).toBeDefined();
    expectScimError(limited!, 429);
    const retryAfter = Number(limited!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited!.body.detail).toBe(`too many requests for this organization; retry in ${retryAfter} s.`);
  });
});

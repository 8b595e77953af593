import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type TestApp } from './app';
import { makeOrganization, unique } from './factories';

export interface ScimOrg {
  orgId: string;
  apiKey: string;
  base: string;
  ownerToken: string;
  ownerMemberId: string;
}

/** An organization (makeOrganization) with SCIM enabled, as `orgctl scim enable` leaves it. */
export async function scimOrg(t: TestApp, opts: { staged?: boolean } = {}): Promise<ScimOrg> {
  const { orgId, ownerToken, ownerId } = await makeOrganization(t.services, `Scim ${unique()}`);
  const { apiKey } = await t.services.scimSettings.enable(cliActor(), orgId, {
    inviteUsersAfterProvisioning: !opts.staged,
  });
  return { orgId, apiKey, base: `/scim/v2/${orgId}`, ownerToken, ownerMemberId: ownerId };
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * A supertest agent bound to one SCIM organization, sending what an identity provider sends: its own headers
 * (User-Agent, Content-Type, Adscimversion, ...) over the SCIM defaults, and a body as the literal JSON text given
 * (a string is sent verbatim, anything else serialised).
 */
export function scim(t: TestApp, o: ScimOrg, headers: Record<string, string> = {}) {
  const send = (method: Method, path: string, body?: unknown) => {
    let r = request(t.app)[method](`${o.base}${path}`).set('Authorization', `Bearer ${o.apiKey}`);
    const withType = { 'Content-Type': 'application/scim+json; charset=utf-8', ...headers };
    for (const [k, v] of Object.entries(withType)) r = r.set(k, v);
    if (body !== undefined) r = r.send(typeof body === 'string' ? body : JSON.stringify(body));
    return r;
  };
  return {
    get: (path: string) => send('get', path),
    delete: (path: string) => send('delete', path),
    post: (path: string, body: unknown) => send('post', path, body),
    put: (path: string, body: unknown) => send('put', path, body),
    patch: (path: string, body: unknown) => send('patch', path, body),
  };
}

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const newUser = (
  email = `u-${unique()}@example.test`,
  extra: Record<string, unknown> = {},
): Record<string, any> => ({
  schemas: [USER_SCHEMA],
  userName: email,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: email, type: 'work', primary: true }],
  active: true,
  ...extra,
});

import request from 'supertest';
import { cliActor } from '../../src/domain/actor';
import { type TestApp } from './app';
import { unique } from './factories';

export interface ScimOrg {
  orgId: string;
  apiKey: string;
  base: string;
  ownerToken: string;
  ownerMemberId: string;
}

/** An organization with SCIM enabled, as `orgctl org create` + `orgctl scim enable` leave it. */
export async function scimOrg(t: TestApp, opts: { staged?: boolean } = {}): Promise<ScimOrg> {
  const created = await t.services.organizations.create(cliActor(), {
    name: `Scim ${unique()}`,
    ownerEmail: `owner-${unique()}@example.test`,
  });
  const orgId = created.organization.id;
  const { apiKey } = await t.services.scimSettings.enable(cliActor(), orgId, {
    inviteUsersAfterProvisioning: !opts.staged,
  });
  return { orgId, apiKey, base: `/scim/v2/${orgId}`, ownerToken: created.ownerToken, ownerMemberId: created.owner.id };
}

/** A supertest agent bound to one SCIM organization. */
export function scim(t: TestApp, o: ScimOrg) {
  const auth = (r: request.Test) => r.set('Authorization', `Bearer ${o.apiKey}`);
  return {
    get: (path: string) => auth(request(t.app).get(`${o.base}${path}`)),
    delete: (path: string) => auth(request(t.app).delete(`${o.base}${path}`)),
    post: (path: string, body: unknown) =>
      auth(request(t.app).post(`${o.base}${path}`))
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(body)),
    put: (path: string, body: unknown) =>
      auth(request(t.app).put(`${o.base}${path}`))
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(body)),
    patch: (path: string, body: unknown) =>
      auth(request(t.app).patch(`${o.base}${path}`))
        .set('Content-Type', 'application/scim+json')
        .send(JSON.stringify(body)),
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

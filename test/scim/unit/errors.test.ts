import { ScimError, scimErrorBody, SCIM_ERROR_SCHEMA } from '../../../src/scim/protocol/errors';

describe('ScimError / scimErrorBody (RFC 7644 §3.12)', () => {
  it('renders status as a string with scimType and detail', () => {
    const err = new ScimError(400, 'invalidFilter', 'bad filter');
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('bad filter');
    expect(scimErrorBody(err)).toEqual({
      schemas: [SCIM_ERROR_SCHEMA],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'bad filter',
    });
  });

  it('omits scimType when there is none', () => {
    const body = scimErrorBody(new ScimError(404, undefined, 'User not found'));
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: 'User not found',
    });
    expect('scimType' in body).toBe(false);
  });
});

// A real OpenID provider for tests: the `oidc-provider` package (devInteractions: any login name and password),
// started by test/helpers/oidc-provider.ts in its own process (the package is ESM and runs on Koa).
// The login name is the e-mail address; names starting with "unverified-" get email_verified: false.
import Provider from 'oidc-provider';

const { PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;
const issuer = `http://127.0.0.1:${PORT}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The claims go into the ID token itself (orgd reads no userinfo).
  conformIdTokenClaims: false,
  cookies: { keys: ['oidc-provider-test-key'] },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: `sub-${id}`, email: id, email_verified: !id.startsWith('unverified-'), name: `Name of ${id}` };
      },
    };
  },
});
provider.proxy = false;
const server = provider.listen(Number(PORT), '127.0.0.1', () => process.stdout.write('oidc-provider ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

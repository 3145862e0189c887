// A real OpenID Connect provider for the single sign-on tests (docs/sso.md): `oidc-provider`
// with one confidential client, a rule-based account store and its development login pages.
//
//   node tests/oidc-provider.mjs REDIRECT_URI [CLIENT_ID] [CLIENT_SECRET]
//
// Listens on a free port of 127.0.0.1 and prints `ISSUER http://127.0.0.1:PORT` when ready.
// Whatever is typed as the login at its sign-in page is the person's e-mail address (any
// password is accepted): the address is confirmed (`email_verified: true`) unless it starts
// with `unverified`. It is a test double of an organisation's directory, not a place to keep
// real accounts.

import { createServer } from 'node:net';
import Provider from 'oidc-provider';

const [redirectUri, clientId = 'physio', clientSecret = 'physio-test-secret'] = process.argv.slice(2);
if (!redirectUri) {
  console.error('usage: node tests/oidc-provider.mjs REDIRECT_URI [CLIENT_ID] [CLIENT_SECRET]');
  process.exit(2);
}

/** A free port on the loopback address (the issuer must be known before the provider starts). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  async findAccount(_ctx, id) {
    const email = String(id).trim().toLowerCase();
    return {
      accountId: email,
      async claims() {
        return { sub: email, email, email_verified: !email.startsWith('unverified') };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // The claims of the requested scopes go into the ID token too, as most organisations'
  // providers do; Physio reads the e-mail address from the verified ID token.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['physio-sso-test-cookie-key'] },
});
// Quiet: the development interactions warn on every start.
provider.on('server_error', (_ctx, err) => console.error('provider error:', err));

provider.listen(port, '127.0.0.1', () => {
  console.log(`ISSUER ${issuer}`);
});

// A real OpenID Connect provider for copse's tests: the certified `oidc-provider` package with
// one client and its built-in login pages (any login name, any password signs in as that
// name). Usage: node provider.mjs <port> <redirect_uri>... — prints "ready <issuer>" once up.
// The e-mail of the account "name" is name@sso.example, verified. With CONFORM=1 the ID token
// carries only what the core spec puts there (the address comes from user info, as some
// providers do). GET /test/discovery-count answers how often the discovery document was read.
import Provider from 'oidc-provider';

const [port, ...redirects] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: 'copse',
    client_secret: 'copse-test-secret',
    redirect_uris: redirects,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  // By default the ID token carries the e-mail and name, as Keycloak's and Entra's do.
  conformIdTokenClaims: process.env.CONFORM === '1',
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
  ttl: { AuthorizationCode: Number(process.env.CODE_TTL || 60) },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@sso.example`, email_verified: true, name: `SSO ${id}`, preferred_username: id };
      },
    };
  },
  cookies: { keys: ['copse-test-cookie-key'] },
});
provider.proxy = false;
let discoveries = 0;
provider.use(async (ctx, next) => {
  if (ctx.path === '/test/discovery-count') {
    ctx.body = { count: discoveries };
    return;
  }
  if (ctx.path === '/.well-known/openid-configuration') discoveries += 1;
  await next();
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));

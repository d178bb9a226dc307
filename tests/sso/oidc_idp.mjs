// A real OpenID Connect provider for the tests (the npm package oidc-provider), started by
// tests/sso/conftest.py on a free port. Its keys are made at start-up; nothing is kept on disk.
//
// Arguments come as one JSON object in OIDC_IDP_CONFIG: port, client_id, client_secret,
// redirect_uris, accounts ({login: claims}). A small control interface under /__test/ lets a
// test make the provider misbehave the way a broken or hostile provider would (wrong audience,
// expired, unsigned or wrongly signed ID token), assert strong authentication, remove an
// account, and send a back-channel logout token for a person.
import { generateKeyPair, exportJWK, SignJWT, decodeJwt, importJWK } from "jose";
import Provider from "oidc-provider";

const config = JSON.parse(process.env.OIDC_IDP_CONFIG);
const issuer = `http://127.0.0.1:${config.port}`;

const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: "test-key-1", alg: "RS256", use: "sig" };
const signingKey = await importJWK(jwk, "RS256");
const { privateKey: strangerKey } = await generateKeyPair("RS256");

const accounts = { ...config.accounts };
let mode = "normal";
let extraClaims = {};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: config.client_id,
      client_secret: config.client_secret,
      redirect_uris: config.redirect_uris,
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ["test-cookie-key-not-secret"] },
  claims: { openid: ["sub", "sid"], email: ["email", "email_verified"], profile: ["name"] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
});
provider.proxy = true;

const sign = (payload, key = signingKey) =>
  new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: jwk.kid, typ: "JWT" }).sign(key);

async function misbehave(idToken) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...decodeJwt(idToken), ...extraClaims };
  switch (mode) {
    case "wrong_audience":
      return sign({ ...claims, aud: "another-portal" });
    case "expired":
      return sign({ ...claims, iat: now - 7200, exp: now - 3600 });
    case "wrong_signature":
      return sign(claims, strangerKey);
    case "unsigned": {
      const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
      return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.`;
    }
    default:
      return Object.keys(extraClaims).length ? sign(claims) : idToken;
  }
}

provider.use(async (ctx, next) => {
  if (ctx.path.startsWith("/__test/")) {
    const body = await new Promise((resolve) => {
      let data = "";
      ctx.req.on("data", (chunk) => (data += chunk));
      ctx.req.on("end", () => resolve(data ? JSON.parse(data) : {}));
    });
    if (ctx.path === "/__test/ready") ctx.body = { ok: true };
    else if (ctx.path === "/__test/mode") {
      mode = body.mode || "normal";
      extraClaims = body.claims || {};
      ctx.body = { mode };
    } else if (ctx.path === "/__test/remove") {
      delete accounts[body.login];
      ctx.body = { removed: body.login };
    } else if (ctx.path === "/__test/logout") {
      const now = Math.floor(Date.now() / 1000);
      const token = await sign({
        iss: issuer, aud: config.client_id, iat: now, jti: `${now}-${Math.random()}`,
        sub: body.sub, events: { "http://schemas.openid.net/event/backchannel-logout": {} },
      }, body.stranger ? strangerKey : signingKey);
      const answer = await fetch(body.uri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ logout_token: token }),
      });
      ctx.body = { status: answer.status };
    } else ctx.status = 404;
    return;
  }
  await next();
  if (ctx.path === "/token" && ctx.status === 200 && ctx.body && ctx.body.id_token) {
    ctx.body = { ...ctx.body, id_token: await misbehave(ctx.body.id_token) };
  }
});

provider.listen(config.port, "127.0.0.1", () => console.log(`ready ${issuer}`));

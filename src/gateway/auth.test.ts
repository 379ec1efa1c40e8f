import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { nowSeconds, startOidcProvider, type TestOidcProvider } from "../../test/helpers/oidc.js";
import { type Authenticator, createAuthenticator } from "./auth.js";
import { GatewayError, toErrorResponse } from "./errors.js";

/** Asserts a refusal is a 401 in OpenAI's shape and returns its message. */
async function refused(pending: Promise<unknown>): Promise<string> {
  let message = "";
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    const { status, body } = toErrorResponse(error, "req-1");
    assert.equal(status, 401);
    assert.equal(body.error.type, "authentication_error");
    assert.equal(body.error.code, "invalid_api_key");
    message = body.error.message;
    return true;
  });
  return message;
}

describe("OIDC bearer tokens", () => {
  let idp: TestOidcProvider;
  const authenticator = (leewaySeconds?: number): Authenticator =>
    createAuthenticator({
      oidc: {
        issuer: idp.issuer,
        jwksUrl: idp.jwksUrl,
        audience: idp.audience,
        rolesClaim: "roles",
        ...(leewaySeconds === undefined ? {} : { leewaySeconds }),
      },
    });
  const bearer = (token: string) => `Bearer ${token}`;

  before(async () => {
    idp = await startOidcProvider();
  });
  after(async () => {
    await idp.close();
  });

  it("accepts a token that carries exp, with the roles claim mapped", async () => {
    const identity = await authenticator().authenticate(bearer(await idp.token({ exp: nowSeconds() + 300 })));
    assert.equal(identity.id, "oidc:alice");
    assert.deepEqual(identity.roles, ["dev"]);
  });

  it("refuses a token without exp, which would otherwise never expire", async () => {
    const message = await refused(authenticator().authenticate(bearer(await idp.token({ exp: null }))));
    assert.match(message, /exp/);
  });

  it("refuses a token expired beyond the default 30 s leeway", async () => {
    const message = await refused(authenticator().authenticate(bearer(await idp.token({ exp: nowSeconds() - 60 }))));
    assert.match(message, /expired/);
  });

  it("accepts a token expired within the leeway (clock skew between issuer and gateway)", async () => {
    const token = await idp.token({ exp: nowSeconds() - 10 });
    const identity = await authenticator().authenticate(bearer(token));
    assert.equal(identity.id, "oidc:alice");
    await refused(authenticator(0).authenticate(bearer(token)));
    assert.equal(
      (await authenticator(120).authenticate(bearer(await idp.token({ exp: nowSeconds() - 90 })))).name,
      "alice",
    );
  });

  it("applies the leeway to nbf too", async () => {
    const early = await idp.token({ exp: nowSeconds() + 300, claims: { nbf: nowSeconds() + 10 } });
    assert.equal((await authenticator().authenticate(bearer(early))).name, "alice");
    await refused(authenticator(0).authenticate(bearer(early)));
  });
});

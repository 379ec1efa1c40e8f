/**
 * A test OpenID provider: an ES256 key pair, its JWKS served on a loopback port (as an issuer
 * publishes it), and a signer for tokens with whatever claims a test needs, including none of
 * the ones a careful issuer always sets.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";

export const TEST_ISSUER = "https://idp.palisade.test";
export const TEST_AUDIENCE = "palisade-gateway";

export interface TestOidcProvider {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /**
   * A signed token: `iss`, `aud` and `iat` set, `exp` only when given (seconds since the epoch,
   * or `null` for none); the rest from `claims`.
   */
  token(options: { exp: number | null; claims?: JWTPayload }): Promise<string>;
  close(): Promise<void>;
}

/** Seconds since the epoch, as JWT `exp`/`iat` count. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export async function startOidcProvider(): Promise<TestOidcProvider> {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "ES256", use: "sig" };
  const server = createServer((req, res) => {
    if (req.url !== "/jwks") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    async token({ exp, claims = {} }) {
      const jwt = new SignJWT({ sub: "alice", roles: ["dev"], ...claims })
        .setProtectedHeader({ alg: "ES256", kid: "test-key" })
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_AUDIENCE)
        .setIssuedAt();
      if (exp !== null) jwt.setExpirationTime(exp);
      return jwt.sign(privateKey);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

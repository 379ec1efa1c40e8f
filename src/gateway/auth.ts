/**
 * Who is calling: API keys (`Authorization: Bearer pal_...`, stored as SHA-256 only) or OIDC JWT
 * bearer tokens verified against the issuer's JWKS, with a claim mapped to roles. A token must
 * carry `exp` (a token without one would never expire); `exp` and `nbf` are checked with a clock
 * leeway (RFC 7519 §4.1.4 allows "some small leeway"). Unknown, expired and revoked credentials
 * are 401. Verified keys are cached for a few seconds, so a revocation takes effect within
 * `cacheMs`.
 */
import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { type Identity, isPalisadeError } from "../core/index.js";
import type { ApiKeyRecord } from "../store/index.js";
import { GatewayError } from "./errors.js";

const KEY_PREFIX = "pal_";

/** A new API key: shown once to the person who made it; only its hash is stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

/** Keys are 256 random bits, so a plain SHA-256 is enough to store them (no slow KDF needed). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/**
 * How a failed authentication is answered: a refused credential is 401 with its reason; a store
 * that cannot be asked is 503 (the caller may well be valid; retry); anything else is a plain
 * 401 whose message says nothing about the server's insides.
 */
export function authFailure(error: unknown): { status: 401 | 503; message: string } {
  if (error instanceof GatewayError) return { status: 401, message: error.message || "unauthenticated" };
  if (isPalisadeError(error) && (error.code === "store-unavailable" || error.code === "store-locked"))
    return { status: 503, message: "credentials cannot be checked now: the store is unavailable; retry" };
  return { status: 401, message: "unauthenticated" };
}

export interface ApiKeyLookup {
  findApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
}

export interface AuthenticatorOptions {
  /** Accept API keys from this store (undefined: API keys are refused). */
  apiKeys?: ApiKeyLookup;
  oidc?: {
    issuer: string;
    jwksUrl: string;
    audience?: string;
    rolesClaim: string;
    /** Clock skew tolerated on `exp` and `nbf`, in seconds (default 30). */
    leewaySeconds?: number;
  };
  /** Everyone is `anonymous`; only allowed on loopback (the CLI checks). */
  noAuth?: boolean;
  cacheMs?: number;
}

export interface Authenticator {
  authenticate(authorization: string | undefined): Promise<Identity>;
}

const ANONYMOUS: Identity = { id: "anonymous", kind: "anonymous", name: "anonymous", roles: [], attributes: {} };
const CACHE_LIMIT = 10_000;
/** Default clock skew tolerated on a token's `exp` and `nbf`. */
const DEFAULT_OIDC_LEEWAY_SECONDS = 30;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const cacheMs = options.cacheMs ?? 5_000;
  const cache = new Map<string, { identity: Identity | undefined; until: number }>();
  const jwks = options.oidc
    ? createRemoteJWKSet(new URL(options.oidc.jwksUrl), { timeoutDuration: 3000, cooldownDuration: 30_000 })
    : undefined;

  async function fromApiKey(token: string): Promise<Identity> {
    if (!options.apiKeys) throw new GatewayError("invalid_api_key", "API keys are not accepted by this gateway");
    const hash = hashApiKey(token);
    const now = Date.now();
    let entry = cache.get(hash);
    if (!entry || entry.until < now) {
      const record = await options.apiKeys.findApiKeyByHash(hash);
      const usable = record && record.revokedAt === null;
      const identity: Identity | undefined = usable
        ? {
            id: `api-key:${record.name}`,
            kind: "api-key",
            name: record.name,
            roles: record.roles,
            attributes: { expiresAt: String(record.expiresAt ?? "") },
          }
        : undefined;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      entry = { identity, until: now + cacheMs };
      cache.set(hash, entry);
    }
    if (!entry.identity) throw new GatewayError("invalid_api_key", "invalid or revoked API key");
    const expiresAt = Number(entry.identity.attributes.expiresAt || Number.POSITIVE_INFINITY);
    if (expiresAt <= now) throw new GatewayError("invalid_api_key", "API key has expired");
    return entry.identity;
  }

  async function fromJwt(token: string): Promise<Identity> {
    if (!jwks || !options.oidc)
      throw new GatewayError("invalid_api_key", "bearer tokens are not accepted by this gateway");
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: options.oidc.issuer,
        ...(options.oidc.audience ? { audience: options.oidc.audience } : {}),
        requiredClaims: ["exp"],
        clockTolerance: options.oidc.leewaySeconds ?? DEFAULT_OIDC_LEEWAY_SECONDS,
      }));
    } catch (cause) {
      throw new GatewayError("invalid_api_key", jwtFailure(cause), { cause });
    }
    const claim = payload[options.oidc.rolesClaim];
    const roles = Array.isArray(claim)
      ? claim.map(String)
      : typeof claim === "string"
        ? claim.split(/\s+/).filter(Boolean)
        : [];
    const subject = payload.sub ?? "unknown";
    return { id: `oidc:${subject}`, kind: "oidc", name: subject, roles, attributes: { issuer: options.oidc.issuer } };
  }

  return {
    async authenticate(authorization) {
      if (options.noAuth) return ANONYMOUS;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
      if (!match?.[1])
        throw new GatewayError("invalid_api_key", "missing bearer credentials (Authorization: Bearer ...)");
      const token = match[1];
      return token.startsWith(KEY_PREFIX) ? fromApiKey(token) : fromJwt(token);
    },
  };
}

/** Why a token was refused, in words that name no part of the token. */
function jwtFailure(cause: unknown): string {
  const { code, claim, reason } = cause as { code?: string; claim?: string; reason?: string };
  if (code === "ERR_JWT_EXPIRED") return "token has expired";
  if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && claim === "exp" && reason === "missing")
    return "token has no expiry (exp claim)";
  return "invalid token";
}

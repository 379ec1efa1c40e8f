/**
 * Images pulled from a registry by the OCI distribution API v2: manifests (indexes walked to the
 * wanted platform) and blobs streamed over HTTP(S), anonymous, basic or bearer-token auth (the
 * `WWW-Authenticate` challenge flow every registry uses). Nothing is written to disk.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { Agent, type Dispatcher, fetch } from "undici";
import { PalisadeError } from "../../../core/index.js";
import { MEDIA } from "../oci.js";

export interface RegistryReference {
  /** host[:port] as given; `docker.io` is served by registry-1.docker.io. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export interface RegistryOptions {
  /** Plain HTTP and unverified TLS (for a registry on this machine). */
  insecure?: boolean;
  username?: string;
  password?: string;
  /** Per request, default 60 s. */
  timeoutMs?: number;
}

/** `HOST[:PORT]/REPO[:TAG|@DIGEST]`; a first part without a dot or port is a Docker Hub name. */
export function parseRegistryReference(text: string): RegistryReference {
  const fail = () =>
    new PalisadeError("bad-usage", `registry:${text}: expected HOST/REPOSITORY[:TAG|@sha256:DIGEST]`, { input: text });
  const at = text.indexOf("@");
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const rest = at >= 0 ? text.slice(0, at) : text;
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) throw fail();
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  const explicitHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = explicitHost ? first : "docker.io";
  let path = explicitHost ? rest.slice(slash + 1) : rest;
  const colon = path.lastIndexOf(":");
  const tag = colon >= 0 && !path.slice(colon).includes("/") ? path.slice(colon + 1) : undefined;
  if (tag !== undefined) path = path.slice(0, colon);
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(path)) throw fail();
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) throw fail();
  return {
    registry,
    repository: path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    ...(tag === undefined && digest === undefined ? { tag: "latest" } : {}),
  };
}

const ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(", ");
const MANIFEST_LIMIT = 4 * 1024 * 1024;

/** Credentials for a registry from the options, else from ~/.docker/config.json (`auths`). */
function credentials(registry: string, options: RegistryOptions): { username: string; password: string } | undefined {
  if (options.username !== undefined) return { username: options.username, password: options.password ?? "" };
  try {
    const config = JSON.parse(
      readFileSync(join(process.env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "config.json"), "utf8"),
    ) as {
      auths?: Record<string, { auth?: string }>;
    };
    const entry = config.auths?.[registry] ?? config.auths?.[`https://${registry}`];
    if (!entry?.auth) return undefined;
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const split = decoded.indexOf(":");
    return split < 0 ? undefined : { username: decoded.slice(0, split), password: decoded.slice(split + 1) };
  } catch {
    return undefined;
  }
}

/** `Bearer realm="...",service="...",scope="..."` → its parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const space = header.indexOf(" ");
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.slice(space + 1).matchAll(/([a-zA-Z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[(m[1] ?? "").toLowerCase()] = (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1");
  return { scheme, params };
}

/** A client for one repository: authenticates once, then fetches manifests and blobs. */
export class RegistryClient {
  readonly ref: RegistryReference;
  private readonly base: string;
  private readonly dispatcher: Dispatcher | undefined;
  private authorization: string | undefined;
  private readonly label: string;

  constructor(
    ref: RegistryReference,
    private readonly options: RegistryOptions = {},
  ) {
    this.ref = ref;
    const host = ref.registry === "docker.io" ? "registry-1.docker.io" : ref.registry;
    this.base = `${options.insecure ? "http" : "https"}://${host}`;
    this.label = `registry:${ref.registry}/${ref.repository}`;
    this.dispatcher = options.insecure ? new Agent({ connect: { rejectUnauthorized: false } }) : undefined;
  }

  private fail(message: string, cause?: unknown): PalisadeError {
    return new PalisadeError("bad-input", `${this.label}: ${message}`, { input: this.label, cause });
  }

  private get(path: string, accept?: string): Promise<Response> {
    return this.send("GET", path, accept ? { accept } : {});
  }

  /**
   * One request with the client's credentials; a 401 is answered once (basic, or a bearer token
   * for the scope the challenge names: `pull,push` for uploads) and the request sent again.
   */
  private async send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: Buffer,
    retried = false,
  ): Promise<Response> {
    let response: Response;
    const url = /^https?:\/\//.test(path) ? path : `${this.base}${path}`;
    try {
      response = (await fetch(url, {
        method,
        headers: {
          ...headers,
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      })) as unknown as Response;
    } catch (cause) {
      throw new PalisadeError(
        "upstream-unavailable",
        `${this.label}: cannot reach ${this.base} (${(cause as Error).message})`,
        {
          input: this.label,
          cause,
        },
      );
    }
    if (response.status === 401 && !retried) {
      await response.body?.cancel();
      await this.authenticate(response.headers.get("www-authenticate") ?? "");
      return this.send(method, path, headers, body, true);
    }
    return response;
  }

  /** Answer a 401 challenge: basic credentials, or a bearer token from the registry's token service. */
  private async authenticate(header: string): Promise<void> {
    const creds = credentials(this.ref.registry, this.options);
    const { scheme, params } = parseChallenge(header);
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString("base64")}` : undefined;
    if (scheme === "basic") {
      if (!basic)
        throw this.fail(
          "the registry wants credentials (set PALISADE_REGISTRY_USERNAME and PALISADE_REGISTRY_PASSWORD)",
        );
      this.authorization = basic;
      return;
    }
    if (scheme !== "bearer" || !params.realm)
      throw this.fail(`unsupported authentication challenge: ${header || "none"}`);
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set("service", params.service);
    url.searchParams.set("scope", params.scope ?? `repository:${this.ref.repository}:pull`);
    let token: unknown;
    try {
      const response = await fetch(url, {
        headers: basic ? { authorization: basic } : {},
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
      if (!response.ok) throw this.fail(`the token service refused (${response.status})`);
      token = await response.json();
    } catch (error) {
      if (error instanceof PalisadeError) throw error;
      throw this.fail(`cannot get a token from ${url.origin} (${(error as Error).message})`, error);
    }
    const value =
      (token as { token?: unknown; access_token?: unknown }).token ??
      (token as { access_token?: unknown }).access_token;
    if (typeof value !== "string" || value === "") throw this.fail("the token service answered without a token");
    this.authorization = `Bearer ${value}`;
  }

  /** A manifest or index by tag or digest, checked against the digest it is fetched by. */
  async manifest(reference: string): Promise<{ bytes: Buffer; digest: string; mediaType: string }> {
    const found = await this.findManifest(reference);
    if (!found) throw this.fail(`no manifest ${reference}`);
    return found;
  }

  /** A manifest by tag or digest, or undefined when the registry has none (404). */
  async findManifest(reference: string): Promise<{ bytes: Buffer; digest: string; mediaType: string } | undefined> {
    const response = await this.get(`/v2/${this.ref.repository}/manifests/${reference}`, ACCEPT);
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw this.fail(`manifest ${reference}: HTTP ${response.status}`);
    }
    const length = Number(response.headers.get("content-length") ?? 0);
    if (length > MANIFEST_LIMIT)
      throw this.fail(`manifest ${reference} is ${length} bytes, more than ${MANIFEST_LIMIT}`);
    const bytes = await readLimited(response, MANIFEST_LIMIT, () =>
      this.fail(`manifest ${reference} is larger than ${MANIFEST_LIMIT} bytes`),
    );
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    if (reference.startsWith("sha256:") && digest !== reference)
      throw this.fail(`manifest ${reference} does not match its digest`);
    return { bytes, digest, mediaType: response.headers.get("content-type") ?? "" };
  }

  /** Upload a blob unless the registry has it (OCI distribution: POST then a monolithic PUT). */
  async putBlob(bytes: Buffer): Promise<{ digest: string; size: number }> {
    const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
    const head = await this.send("HEAD", `/v2/${this.ref.repository}/blobs/${digest}`, {});
    await head.body?.cancel();
    if (head.ok) return { digest, size: bytes.length };
    const start = await this.send("POST", `/v2/${this.ref.repository}/blobs/uploads/`, {});
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (start.status !== 202 || !location) throw this.fail(`blob upload refused: HTTP ${start.status}`);
    const url = new URL(location, this.base);
    url.searchParams.set("digest", digest);
    const put = await this.send(
      "PUT",
      url.toString(),
      { "content-type": "application/octet-stream", "content-length": String(bytes.length) },
      bytes,
    );
    await put.body?.cancel();
    if (put.status !== 201) throw this.fail(`blob ${digest} upload: HTTP ${put.status}`);
    return { digest, size: bytes.length };
  }

  /** Store a manifest under a tag (or its digest); returns its digest. */
  async putManifest(reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const response = await this.send(
      "PUT",
      `/v2/${this.ref.repository}/manifests/${reference}`,
      { "content-type": mediaType },
      bytes,
    );
    await response.body?.cancel();
    if (response.status !== 201) throw this.fail(`manifest ${reference} upload: HTTP ${response.status}`);
    return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  }

  async blob(digest: string, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
    const response = await this.get(`/v2/${this.ref.repository}/blobs/${digest}`);
    if (!response.ok) {
      await response.body?.cancel();
      throw this.fail(`blob ${digest}: HTTP ${response.status}`);
    }
    return readLimited(response, limit, () => this.fail(`blob ${digest} is larger than ${limit} bytes`));
  }

  async blobStream(digest: string): Promise<Readable> {
    const response = await this.get(`/v2/${this.ref.repository}/blobs/${digest}`);
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw this.fail(`blob ${digest}: HTTP ${response.status}`);
    }
    return Readable.fromWeb(response.body as never);
  }

  /** Repository names of the registry (`/v2/_catalog`, every page). */
  async catalog(limit = 100_000): Promise<string[]> {
    return this.paged("/v2/_catalog?n=1000", "repositories", limit);
  }

  /** Tags of this client's repository (`/v2/REPO/tags/list`, every page). */
  async tags(limit = 100_000): Promise<string[]> {
    return this.paged(`/v2/${this.ref.repository}/tags/list?n=1000`, "tags", limit);
  }

  /** Follow `Link: <...>; rel="next"` pages, at most `limit` names in all. */
  private async paged(first: string, key: "repositories" | "tags", limit: number): Promise<string[]> {
    const out: string[] = [];
    let path: string | undefined = first;
    for (let page = 0; path && out.length < limit; page++) {
      if (page > 10_000) throw this.fail(`${key}: too many pages`);
      const response = await this.get(path, "application/json");
      if (!response.ok) {
        await response.body?.cancel();
        throw this.fail(`${key}: HTTP ${response.status}`);
      }
      const body = (await readLimited(response, 16 * 1024 * 1024, () => this.fail(`${key}: page too large`))).toString(
        "utf8",
      );
      let names: unknown;
      try {
        names = (JSON.parse(body) as Record<string, unknown>)[key];
      } catch {
        throw this.fail(`${key}: not JSON`);
      }
      if (names !== null && names !== undefined && !Array.isArray(names)) throw this.fail(`${key}: not a list`);
      for (const name of (names as unknown[] | null) ?? []) if (typeof name === "string") out.push(name);
      const next = /<([^>]+)>;\s*rel="?next"?/.exec(response.headers.get("link") ?? "")?.[1];
      path = next ? (next.startsWith("/") ? next : new URL(next).pathname + new URL(next).search) : undefined;
    }
    return out.slice(0, limit);
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}

async function readLimited(response: Response, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

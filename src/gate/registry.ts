/**
 * The registry gate: a proxy in front of an OCI registry that speaks the distribution API to
 * clients (docker, podman, skopeo, containerd). Everything but a manifest pull streams through
 * untouched, both ways, with backpressure (blobs are never buffered). A manifest GET/HEAD is
 * fetched from upstream, resolved to its digest, judged (stored or fresh scan verdict, trust
 * rules) and answered only if allowed: the bytes judged are the bytes served, so a tag moved
 * meanwhile cannot slip through. A denial is `403` with the OCI error body
 * (`{"errors":[{"code":"DENIED",...}]}`, OCI distribution spec, "Error Codes") naming the rules.
 * Upstream auth is passed through: the client's Authorization goes upstream, and the upstream's
 * 401 and `WWW-Authenticate` challenge come back to the client as they are.
 *
 * `POST /notifications` takes the registry's push notifications (distribution's notification
 * envelope) and scans pushed images in the background, so verdicts are ready before the first pull.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { pipeline } from "node:stream/promises";
import { Pool } from "undici";
import type { Logger } from "../core/index.js";
import { describeError } from "../core/index.js";
import { isCosignTag } from "./cosign.js";
import type { ImageJudge, ImageJudgement } from "./image-verdict.js";

export interface RegistryGateOptions {
  /** The upstream registry, `http(s)://host[:port]`. */
  upstream: string;
  judge: ImageJudge;
  /** The registry name images are judged under (policy globs match it); default the upstream's host[:port]. */
  registryName?: string;
  logger?: Logger;
  /** Told every judged pull (not the children of an index already let through), to record it. */
  onDecision?: (decision: { image: string; judgement: ImageJudgement }) => void;
  /** Accept push notifications at `POST /notifications`; with a token, only requests bearing it. */
  notifications?: { token?: string };
  /** Largest manifest served (default 4 MiB, the limit of distribution's own). */
  maxManifestBytes?: number;
  /** Verify the upstream's TLS certificate (default true). */
  verifyTls?: boolean;
}

export interface RegistryGate {
  readonly server: Server;
  /** Listen on `host:port` (port 0: any); resolves to the bound address. */
  listen(host: string, port: number): Promise<{ host: string; port: number }>;
  /** Stop accepting, finish in-flight requests, close upstream connections. */
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
  "host",
]);
const MANIFEST_PATH =
  /^\/v2\/((?:[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\/)*[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)\/manifests\/([A-Za-z0-9_.:+-]{1,200})$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);
/** Children of an allowed index stay allowed this long (a client fetches them right after). */
const CHILD_TTL_MS = 10 * 60_000;
const MAX_CHILDREN = 50_000;
const MAX_NOTIFICATION_BYTES = 1024 * 1024;

/** The OCI error body. */
function ociError(code: string, message: string, detail?: unknown): string {
  return JSON.stringify({ errors: [{ code, message, ...(detail !== undefined ? { detail } : {}) }] });
}

/** Header value fit for a `Warning: 299 - "..."` (RFC 7234 §5.5; the distribution spec's warnings). */
function warningHeader(text: string): string {
  return `299 - "${text
    .replace(/[^\x20-\x7e]/g, " ")
    .replace(/["\\]/g, "'")
    .slice(0, 500)}"`;
}

/** Create the gate; it does not listen until `listen`. */
export function createRegistryGate(options: RegistryGateOptions): RegistryGate {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== "http:" && upstream.protocol !== "https:")
    throw new TypeError(`upstream ${options.upstream}: expected an http(s) URL`);
  const origin = upstream.origin;
  const registryName = options.registryName ?? upstream.host;
  const maxManifest = options.maxManifestBytes ?? 4 * 1024 * 1024;
  const pool = new Pool(origin, {
    connections: 256,
    headersTimeout: 120_000,
    bodyTimeout: 300_000,
    ...(options.verifyTls === false ? { connect: { rejectUnauthorized: false } } : {}),
  });
  const log = options.logger;
  const allowedChildren = new Map<string, number>();

  function forwardHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
    return out;
  }

  function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined || HOP_BY_HOP.has(k)) continue;
      // The registry builds absolute upload URLs from the host it was asked for: send clients back to the gate.
      if (k === "location" && typeof v === "string" && v.startsWith(origin)) out[k] = v.slice(origin.length) || "/";
      else out[k] = v;
    }
    return out;
  }

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "docker-distribution-api-version": "registry/2.0",
      ...headers,
    });
    res.end(res.req.method === "HEAD" ? undefined : body);
  }

  /**
   * Stream a request upstream and its answer back. undici's `stream` writes the upstream body
   * straight into the client's response, pausing upstream while the client's socket is full.
   */
  async function passThrough(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hasBody =
      req.method !== "GET" &&
      req.method !== "HEAD" &&
      (req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0);
    await pool.stream(
      {
        method: req.method as "GET",
        path: req.url ?? "/",
        headers: forwardHeaders(req.headers),
        ...(hasBody ? { body: req } : {}),
        opaque: res,
      },
      ({ statusCode, headers, opaque }) => {
        const out = opaque as ServerResponse;
        out.writeHead(statusCode, responseHeaders(headers as Record<string, string | string[] | undefined>));
        return out;
      },
    );
  }

  async function readLimited(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > limit) return undefined;
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }

  function rememberChildren(bytes: Buffer): void {
    let doc: unknown;
    try {
      doc = JSON.parse(bytes.toString("utf8"));
    } catch {
      return;
    }
    const manifests = (doc as { manifests?: unknown }).manifests;
    if (!Array.isArray(manifests)) return;
    const until = Date.now() + CHILD_TTL_MS;
    for (const m of manifests.slice(0, 1000)) {
      const digest = (m as { digest?: unknown } | null)?.digest;
      if (typeof digest === "string" && DIGEST.test(digest)) allowedChildren.set(digest, until);
    }
    if (allowedChildren.size > MAX_CHILDREN) {
      const now = Date.now();
      for (const [d, t] of allowedChildren)
        if (t < now || allowedChildren.size > MAX_CHILDREN) allowedChildren.delete(d);
    }
  }

  async function manifest(req: IncomingMessage, res: ServerResponse, repository: string, reference: string) {
    const head = req.method === "HEAD";
    if (isCosignTag(reference)) return passThrough(req, res);
    const headers = forwardHeaders(req.headers);
    const path = req.url ?? "/";
    let response = await pool.request({ method: head ? "HEAD" : "GET", path, headers });
    if (response.statusCode !== 200) {
      res.writeHead(response.statusCode, responseHeaders(response.headers));
      if (head) {
        await response.body.dump();
        res.end();
      } else await pipeline(response.body, res);
      return;
    }
    let bytes: Buffer | undefined;
    let digest: string | undefined;
    if (head) {
      const header = response.headers["docker-content-digest"];
      if (typeof header === "string" && DIGEST.test(header)) digest = header;
      await response.body.dump();
      if (!digest) {
        // No digest to judge by: fetch the manifest itself.
        response = await pool.request({ method: "GET", path, headers });
        if (response.statusCode !== 200) {
          await response.body.dump();
          return send(res, 502, ociError("UNAVAILABLE", "the upstream registry did not serve the manifest"));
        }
      }
    }
    if (!digest) {
      bytes = await readLimited(response.body, maxManifest);
      if (!bytes)
        return send(
          res,
          502,
          ociError("MANIFEST_INVALID", `the upstream manifest is larger than ${maxManifest} bytes`),
        );
      digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
      if (reference.startsWith("sha256:") && reference !== digest)
        return send(res, 502, ociError("DIGEST_INVALID", `the upstream manifest does not match ${reference}`));
    }
    const childUntil = allowedChildren.get(digest);
    const image = `${registryName}/${repository}${reference.startsWith("sha256:") ? "@" : ":"}${reference}`;
    let judgement: ImageJudgement;
    if (childUntil !== undefined && childUntil > Date.now())
      judgement = { digest, verdict: { decision: "allow", reasons: [] }, source: "stored", warnings: [] };
    else {
      judgement = await options.judge.judge({
        registry: registryName,
        repository,
        digest,
        ...(reference.startsWith("sha256:") ? {} : { tag: reference }),
      });
      options.onDecision?.({ image, judgement });
    }
    const { verdict } = judgement;
    log?.info(
      {
        image,
        digest,
        decision: verdict.decision,
        source: judgement.source,
        rules: verdict.reasons.map((r) => r.ruleId),
      },
      "manifest judged",
    );
    if (verdict.decision === "deny") {
      const denying = verdict.reasons.filter((r) => r.decision === "deny" && !r.waivedBy);
      const message = `${image} (${digest}) denied: ${denying.map((r) => `${r.ruleId}: ${r.message}`).join("; ")}`;
      return send(
        res,
        403,
        ociError("DENIED", message, {
          digest,
          source: judgement.source,
          reasons: verdict.reasons.map((r) => ({
            ruleId: r.ruleId,
            decision: r.decision,
            message: r.message,
            ...(r.source ? { source: r.source } : {}),
            ...(r.waivedBy ? { waivedBy: r.waivedBy } : {}),
          })),
        }),
      );
    }
    const warnings = [
      ...verdict.reasons.filter((r) => r.decision === "warn" && !r.waivedBy).map((r) => `${r.ruleId}: ${r.message}`),
      ...judgement.warnings,
    ];
    const out = responseHeaders(response.headers);
    out["docker-content-digest"] = digest;
    if (warnings.length > 0) out.warning = warnings.slice(0, 10).map(warningHeader);
    const mediaType = String(response.headers["content-type"] ?? "");
    if (bytes) {
      out["content-length"] = String(bytes.length);
      if (INDEX_TYPES.has(mediaType) || /"manifests"\s*:/.test(bytes.toString("utf8", 0, 4096)))
        rememberChildren(bytes);
    }
    res.writeHead(200, out);
    res.end(head ? undefined : bytes);
  }

  async function notifications(req: IncomingMessage, res: ServerResponse) {
    const token = options.notifications?.token;
    if (token !== undefined && req.headers.authorization !== `Bearer ${token}`) {
      req.resume();
      return send(res, 401, ociError("UNAUTHORIZED", "notifications need the gate's notification token"));
    }
    const body = await readLimited(req, MAX_NOTIFICATION_BYTES);
    if (!body)
      return send(res, 413, ociError("SIZE_INVALID", `notification larger than ${MAX_NOTIFICATION_BYTES} bytes`));
    let events: unknown;
    try {
      events = (JSON.parse(body.toString("utf8")) as { events?: unknown }).events;
    } catch {
      return send(res, 400, ociError("UNSUPPORTED", "the notification is not JSON"));
    }
    if (!Array.isArray(events)) return send(res, 400, ociError("UNSUPPORTED", "the notification has no events list"));
    let accepted = 0;
    for (const event of events.slice(0, 1000)) {
      const e = event as {
        action?: unknown;
        target?: { mediaType?: unknown; repository?: unknown; digest?: unknown; tag?: unknown };
      };
      const t = e?.target;
      if (e?.action !== "push" || !t || typeof t.repository !== "string" || typeof t.digest !== "string") continue;
      if (!DIGEST.test(t.digest) || typeof t.mediaType !== "string" || !/manifest|index/.test(t.mediaType)) continue;
      if (typeof t.tag === "string" && isCosignTag(t.tag)) continue;
      accepted++;
      const ref = { registry: registryName, repository: t.repository, digest: t.digest };
      log?.info(ref, "push notification: verdict prepared in the background");
      options.judge
        .prepare(ref)
        .catch((error) => log?.warn({ err: describeError(error), ...ref }, "scan on push failed"));
    }
    send(res, 202, JSON.stringify({ accepted }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? "/").split("?", 1)[0] ?? "/";
    // The registry decodes and cleans paths; the gate judges the path as sent. So only a path
    // that means one thing passes: origin-form, no percent-encoding, no empty or dot segments
    // (OCI names, tags and digests never need them). Otherwise `manifests/v%31` would be
    // served by the registry as `manifests/v1` without being judged.
    if (!pathname.startsWith("/") || /%|\\|\/\/|\/\.\.?(\/|$)/.test(pathname)) {
      req.resume();
      return send(res, 400, ociError("NAME_INVALID", "the request path is not a canonical registry path"));
    }
    if (pathname === "/notifications" && options.notifications) {
      if (req.method !== "POST") return send(res, 405, ociError("UNSUPPORTED", "POST notifications here"));
      return notifications(req, res);
    }
    if (pathname === "/healthz") return send(res, 200, '{"status":"ok"}');
    const m = MANIFEST_PATH.exec(pathname);
    if (m && (req.method === "GET" || req.method === "HEAD")) return manifest(req, res, m[1] as string, m[2] as string);
    if (!m && /\/manifests\/[^/]*$/i.test(pathname) && (req.method === "GET" || req.method === "HEAD")) {
      return send(res, 400, ociError("NAME_INVALID", "not a repository name and a tag or digest"));
    }
    return passThrough(req, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const id = randomUUID();
      const upstreamDown = /ECONNREFUSED|ECONNRESET|ENOTFOUND|UND_ERR_CONNECT|UND_ERR_SOCKET/.test(
        `${(error as { code?: string }).code ?? ""} ${describeError(error)}`,
      );
      log?.warn(
        { err: describeError(error), requestId: id, url: req.url, method: req.method },
        "registry gate request failed",
      );
      if (res.headersSent || res.writableEnded) {
        res.destroy();
        return;
      }
      if (upstreamDown) send(res, 502, ociError("UNAVAILABLE", `the upstream registry is unavailable (request ${id})`));
      else send(res, 500, ociError("UNKNOWN", `internal error (request ${id})`));
    });
  });
  server.keepAliveTimeout = 65_000;

  return {
    server,
    async listen(host, port) {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      return { host: address.address, port: address.port };
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await options.judge.idle();
      await pool.close();
    },
  };
}

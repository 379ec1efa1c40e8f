/**
 * The dashboard's static files over a real HTTP server: traversal in every spelling (dot
 * segments, percent-encoded dots and slashes, backslashes, NUL), dotfiles and a symlink out of
 * the folder are refused; hashed assets are immutable, index.html is revalidated, routes get
 * index.html, and every answer has the security headers.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createStoreDirectory } from "../incident/index.js";
import { openStore, type Store } from "../store/index.js";
import { type ApiServer, createApi, createStaticHandler, startApiServer } from "./index.js";

const SECRET = "top-secret-outside-the-dashboard";
const INDEX = "<!doctype html><title>Palisade</title>";

/** A raw request: fetch() would normalise the dot segments before they reach the server. */
function raw(url: string, path: string, method = "GET", headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(url);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: hostname, port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}

describe("dashboard static files", () => {
  const tmp = mkdtempSync(join(tmpdir(), "palisade-static-"));
  const dist = join(tmp, "web", "dist");
  let store: Store;
  let server: ApiServer;

  before(async () => {
    mkdirSync(join(dist, "assets"), { recursive: true });
    writeFileSync(join(tmp, "package.json"), SECRET);
    writeFileSync(join(tmp, "web", "secret.txt"), SECRET);
    writeFileSync(join(dist, "index.html"), INDEX);
    writeFileSync(join(dist, "assets", "index-AbC123_x.js"), "console.log(1)");
    writeFileSync(join(dist, "assets", "app.css"), "body{}");
    writeFileSync(join(dist, ".env"), SECRET);
    mkdirSync(join(dist, ".git"));
    writeFileSync(join(dist, ".git", "config"), SECRET);
    symlinkSync(join(tmp, "package.json"), join(dist, "link.json"));
    symlinkSync(tmp, join(dist, "up"));
    store = openStore({ location: join(tmp, "palisade.db") });
    await store.migrate();
    const api = createApi({ store, directory: createStoreDirectory({ mcp: {} }), version: "test" });
    server = await startApiServer({
      host: "127.0.0.1",
      port: 0,
      api: api.handler,
      fallback: createStaticHandler(dist),
    });
  });
  after(async () => {
    await server?.close();
    await store?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("never serves a file outside the folder, however the path is spelled", async () => {
    for (const path of [
      "/../package.json",
      "/../../package.json",
      "/assets/../../package.json",
      "/%2e%2e/package.json",
      "/%2E%2E/%2e%2e/package.json",
      "/.%2e/package.json",
      "/..%2fpackage.json",
      "/%2e%2e%2fpackage.json",
      "/assets%2f..%2f..%2fpackage.json",
      "/..%5cpackage.json",
      "/..\\package.json",
      "/index.html%00.png",
      "/%00",
      "/..%00/package.json",
      "/%c0%ae%c0%ae/package.json",
      "/%252e%252e/package.json",
      "/link.json",
      "/up/package.json",
      "/up/web/secret.txt",
      "/.env",
      "/.git/config",
      "/assets/.%2e/.%2e/package.json",
    ]) {
      const answer = await raw(server.url, path);
      assert.ok(!answer.body.includes(SECRET), `${path} leaked a file outside the dashboard`);
      assert.ok([400, 404].includes(answer.status), `${path}: ${answer.status}`);
      assert.equal(JSON.parse(answer.body).error.code, answer.status === 400 ? "bad_request" : "not_found", path);
      assert.equal(answer.headers["x-content-type-options"], "nosniff", path);
    }
  });

  it("serves hashed assets as immutable, index.html as no-cache, each with its content type", async () => {
    const js = await raw(server.url, "/assets/index-AbC123_x.js");
    assert.equal(js.status, 200);
    assert.equal(js.body, "console.log(1)");
    assert.equal(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
    const css = await raw(server.url, "/assets/app.css");
    assert.equal(css.headers["content-type"], "text/css; charset=utf-8");
    assert.equal(css.headers["cache-control"], "no-cache", "a name without a hash may change");
    for (const path of ["/", "/index.html", "/?x=1"]) {
      const index = await raw(server.url, path);
      assert.equal(index.status, 200, path);
      assert.equal(index.body, INDEX);
      assert.equal(index.headers["content-type"], "text/html; charset=utf-8");
      assert.equal(index.headers["cache-control"], "no-cache");
    }
  });

  it("answers dashboard routes with index.html and missing files with a JSON 404", async () => {
    for (const path of ["/incidents", "/incidents/inc-1/trace", "/assets"]) {
      const answer = await raw(server.url, path);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.body, INDEX, path);
    }
    const missing = await raw(server.url, "/assets/missing-12345678.js");
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).error.code, "not_found");
    const api = await raw(server.url, "/api/v1/nothing");
    assert.equal(api.status, 404, "the API keeps its own 404 for /api/ paths");
    assert.equal(api.headers["content-security-policy"], undefined);
  });

  it("puts the security headers on every answer and allows nothing inline", async () => {
    for (const path of ["/", "/assets/index-AbC123_x.js", "/nope.js", "/../x"]) {
      const { headers } = await raw(server.url, path);
      const csp = String(headers["content-security-policy"]);
      assert.match(csp, /default-src 'self'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(headers["x-frame-options"], "DENY", path);
      assert.equal(headers["referrer-policy"], "no-referrer", path);
      assert.equal(headers["x-content-type-options"], "nosniff", path);
    }
  });

  it("answers only GET and HEAD, HEAD without a body, and revalidates with the ETag", async () => {
    const post = await raw(server.url, "/index.html", "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
    const head = await raw(server.url, "/", "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.body, "");
    assert.equal(head.headers["content-length"], String(INDEX.length));
    const etag = String(head.headers.etag);
    const again = await raw(server.url, "/", "GET", { "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, "");
  });

  it("says the dashboard is not built when the folder is missing", async () => {
    const handler = createStaticHandler(join(tmp, "no-such-dist"));
    const other = await startApiServer({
      host: "127.0.0.1",
      port: 0,
      api: async () => false,
      fallback: handler,
    });
    try {
      const answer = await raw(other.url, "/");
      assert.equal(answer.status, 404);
      assert.match(JSON.parse(answer.body).error.message, /not built/);
    } finally {
      await other.close();
    }
  });
});

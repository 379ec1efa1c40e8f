/**
 * Serves the built dashboard (web/dist) as the API server's fallback: GET and HEAD only, every
 * path decoded once, segment by segment, and refused when a segment could leave the folder
 * (`..`, an encoded slash or backslash, NUL), names a dotfile, or resolves (through a symlink)
 * outside it. Hashed assets are cached for good; index.html is revalidated every time; a path
 * without an extension is a dashboard route and gets index.html (SPA fallback). Every answer
 * carries the dashboard's security headers.
 */
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ApiError } from "./errors.js";
import { sendError } from "./handler.js";

/** What the bundle needs and nothing more: its own scripts, styles, images and API (no inline code, no CDN). */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Headers on every answer of the dashboard, files and errors alike. */
export const DASHBOARD_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": DASHBOARD_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

const MAX_PATH = 2048;
/** Vite names bundled files `assets/<name>-<hash>.<ext>`: their content never changes under that name. */
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
const IMMUTABLE = "public, max-age=31536000, immutable";

/** Handles one request for a file of the dashboard (the API server's `fallback`). */
export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The request path as folder-relative segments, or why it is refused. Each segment is decoded
 * on its own, so `%2f` stays inside its segment and is refused there rather than becoming a slash.
 */
export function toSafeSegments(rawUrl: string): { segments: string[] } | { refused: "bad" | "hidden" } {
  const path = rawUrl.split(/[?#]/, 1)[0] ?? "";
  if (!path.startsWith("/") || path.length > MAX_PATH) return { refused: "bad" };
  const segments: string[] = [];
  for (const raw of path.split("/")) {
    if (raw === "") continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { refused: "bad" };
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
    if (segment === "." || segment === ".." || /[/\\\u0000-\u001f\u007f]/.test(segment)) return { refused: "bad" };
    if (segment.startsWith(".")) return { refused: "hidden" };
    segments.push(segment);
  }
  return { segments };
}

function headersFor(file: string, relative: string): Record<string, string> {
  return {
    ...DASHBOARD_SECURITY_HEADERS,
    "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "cache-control": HASHED_ASSET.test(relative) ? IMMUTABLE : "no-cache",
  };
}

/** The real path of a regular file inside root, or undefined (missing, not a file, or outside through a link). */
async function fileInside(
  root: string,
  segments: readonly string[],
): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
  try {
    const real = await realpath(join(root, ...segments));
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** Where `npm run build` (on install) puts the dashboard: web/dist of the package. */
export const DASHBOARD_DIR = fileURLToPath(new URL("../../web/dist/", import.meta.url));

export function createStaticHandler(dir: string = DASHBOARD_DIR): StaticHandler {
  const fail = (res: ServerResponse, error: ApiError, headers: Record<string, string> = {}) =>
    sendError(res, error, { ...DASHBOARD_SECURITY_HEADERS, ...headers });

  return async (req, res) => {
    const method = (req.method ?? "GET").toUpperCase();
    req.resume();
    if (method !== "GET" && method !== "HEAD")
      return fail(res, new ApiError("method_not_allowed", `${method} is not allowed here (GET, HEAD)`), {
        allow: "GET, HEAD",
      });
    const parsed = toSafeSegments(req.url ?? "/");
    if ("refused" in parsed)
      return fail(
        res,
        parsed.refused === "bad"
          ? new ApiError("bad_request", "not a valid path")
          : new ApiError("not_found", "no such file"),
      );
    let root: string;
    try {
      root = await realpath(dir);
    } catch {
      return fail(res, new ApiError("not_found", "the dashboard is not built (run npm run build:web)"));
    }
    const last = parsed.segments.at(-1) ?? "";
    let relative = parsed.segments.join("/");
    let file = relative === "" ? undefined : await fileInside(root, parsed.segments);
    if (!file && !last.includes(".")) {
      relative = "index.html";
      file = await fileInside(root, ["index.html"]);
      if (!file) return fail(res, new ApiError("not_found", "the dashboard is not built (run npm run build:web)"));
    }
    if (!file) return fail(res, new ApiError("not_found", "no such file"));

    const etag = `W/"${file.size.toString(16)}-${Math.trunc(file.mtimeMs).toString(16)}"`;
    const headers = { ...headersFor(file.path, relative), etag };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, "content-length": String(file.size) });
    if (method === "HEAD") {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file.path);
      stream.on("error", () => {
        res.destroy();
        resolve();
      });
      res.on("close", () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  };
}

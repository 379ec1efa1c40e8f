/**
 * A real OCI registry for tests: Debian's `docker-registry` (the CNCF distribution registry)
 * on a loopback port with its storage in a temporary folder, optionally behind token auth
 * served by the test itself. Images get in with `skopeo copy`, as they would in production.
 */
import { type ChildProcess, execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { importPKCS8, SignJWT } from "jose";

/** Why registry tests cannot run here, or undefined when they can. In CI they must run. */
export function registrySkipReason(): string | undefined {
  const missing = ["docker-registry", "skopeo", "openssl"].filter((b) => spawnSync("which", [b]).status !== 0);
  if (missing.length === 0) return undefined;
  if (process.env.CI) throw new Error(`CI is set but ${missing.join(", ")} missing: registry tests must run in CI`);
  return `${missing.join(", ")} not installed (bash .ci/run installs them)`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface TestRegistry {
  /** host:port */
  host: string;
  /** Push an OCI layout (all its platforms) as REPO:TAG. */
  push(layout: string, layoutTag: string, repoTag: string, creds?: string): Promise<void>;
  stop(): Promise<void>;
}

export interface TokenAuth {
  /** The one user the token service knows. */
  username: string;
  password: string;
}

/**
 * Start a registry. With `auth`, the registry wants bearer tokens from a token service the
 * test runs: it checks basic credentials and signs a JWT (RS256, the certificate in `x5c`)
 * granting pull and push on the asked repository.
 */
export async function startRegistry(auth?: TokenAuth): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "palisade-registry-"));
  const port = await freePort();
  let tokenServer: Server | undefined;
  let authConfig = "";
  if (auth) {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=palisade-test-token",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const key = await importPKCS8(readFileSync(join(dir, "key.pem"), "utf8"), "RS256");
    const certDer = readFileSync(join(dir, "cert.pem"), "utf8").replace(/-----[^-]+-----|\s/g, "");
    const tokenPort = await freePort();
    tokenServer = createServer(async (req, res) => {
      const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { "content-type": "application/json" }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      const access = url.searchParams
        .getAll("scope")
        .flatMap((s) => s.split(" "))
        .map((scope) => {
          const [type, name, actions] = scope.split(":");
          return { type, name, actions: (actions ?? "").split(",").filter(Boolean) };
        });
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ access })
        .setProtectedHeader({ alg: "RS256", x5c: [certDer] })
        .setIssuer("palisade-test-issuer")
        .setSubject(auth.username)
        .setAudience("palisade-test-registry")
        .setIssuedAt(now)
        .setNotBefore(now - 5)
        .setExpirationTime(now + 300)
        .setJti(randomUUID())
        .sign(key);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token, expires_in: 300 }));
    });
    await new Promise<void>((resolve) => tokenServer?.listen(tokenPort, "127.0.0.1", resolve));
    authConfig = `auth:
  token:
    realm: http://127.0.0.1:${tokenPort}/token
    service: palisade-test-registry
    issuer: palisade-test-issuer
    rootcertbundle: ${join(dir, "cert.pem")}
`;
  }
  writeFileSync(
    join(dir, "config.yml"),
    `version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: ${join(dir, "data")}
http:
  addr: 127.0.0.1:${port}
${authConfig}`,
  );
  // Its log goes to a file: a pipe nobody drains while the test waits would stall the registry.
  const log = join(dir, "registry.log");
  const child: ChildProcess = spawn("docker-registry", ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "ignore", openSync(log, "w")],
  });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`http://${host}/v2/`).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`docker-registry did not start: ${readFileSync(log, "utf8").slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    async push(layout, layoutTag, repoTag, creds) {
      // Asynchronously: the token service answering skopeo runs in this process.
      await promisify(execFile)(
        "skopeo",
        [
          "copy",
          "--all",
          "--quiet",
          "--dest-tls-verify=false",
          ...(creds ? ["--dest-creds", creds] : []),
          `oci:${layout}:${layoutTag}`,
          `docker://${host}/${repoTag}`,
        ],
        { timeout: 60_000 },
      );
    },
    async stop() {
      child.kill();
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
      await new Promise<void>((resolve) => (tokenServer ? tokenServer.close(() => resolve()) : resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

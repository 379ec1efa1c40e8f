/** An in-process gateway for tests: temp SQLite store, a policy file, the real detectors. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, UpstreamConfigSchema } from "../../src/core/index.js";
import {
  type AuditWriter,
  createAuditWriter,
  createAuthenticator,
  createGatewayDetectors,
  createGatewayMetrics,
  createGatewayServer,
  createMemoryLimiter,
  createModelRouter,
  createUpstreamPool,
  detectorsPerPolicy,
  type EventSink,
  type GatewayServer,
  type GuardDetectors,
  generateApiKey,
  type Limiter,
} from "../../src/gateway/index.js";
import { createPolicyHolder } from "../../src/policy/index.js";
import { openStore, type Store } from "../../src/store/index.js";

/**
 * Everyone may do everything; the injection guard reports but does not block, so tests of other
 * features do not depend on the classifier's view of their scripted prompts.
 */
export const OPEN_POLICY = `apiVersion: palisade.dev/v1
kind: Policy
metadata: { name: test }
spec:
  runtime:
    roles:
      - { name: default, identities: ["*"], models: ["*"], tools: ["*"] }
    injection: { user: { action: allow }, document: { action: allow } }
`;

/** OPEN_POLICY with the injection guard blocking, as the built-in default policy does. */
export const OPEN_POLICY_BLOCKING_INJECTION = OPEN_POLICY.replace(/\n {4}injection: .*\n/, "\n");

export interface TestGateway {
  url: string;
  store: Store;
  audit: AuditWriter;
  gateway: GatewayServer;
  /** A fresh API key with these roles. */
  key(name: string, roles?: string[], expiresAt?: number): Promise<string>;
  close(): Promise<void>;
}

/** POST a JSON body to the gateway with an API key, as a client that is not the openai package would. */
export function postJson(gw: TestGateway, key: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

let detectors: GuardDetectors | undefined;

export async function startTestGateway(options: {
  upstream: string;
  upstreamKind?: "openai" | "ollama" | "vllm";
  policy?: string;
  noAuth?: boolean;
  limiter?: Limiter;
  sink?: (store: Store) => EventSink;
  maxBodyBytes?: number;
  withDetectors?: (d: GuardDetectors) => GuardDetectors;
}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "palisade-gw-"));
  const policyFile = join(dir, "policy.yaml");
  writeFileSync(policyFile, options.policy ?? OPEN_POLICY);
  const store = openStore({ location: join(dir, "palisade.db") });
  await store.migrate();
  detectors ??= createGatewayDetectors();
  const logger = createLogger({ level: "silent" });
  const audit = createAuditWriter({
    sink: options.sink ? options.sink(store) : store,
    spoolDir: join(dir, "spool"),
    batchSize: 100,
    flushMs: 20,
    logger,
  });
  const pool = createUpstreamPool([
    UpstreamConfigSchema.parse({ name: "up", kind: options.upstreamKind ?? "openai", url: options.upstream }),
  ]);
  const gateway = createGatewayServer({
    auth: createAuthenticator({ ...(options.noAuth ? { noAuth: true } : { apiKeys: store }), cacheMs: 0 }),
    policy: createPolicyHolder({ files: [policyFile] }),
    router: createModelRouter(pool.upstreams),
    upstreams: pool,
    limiter: options.limiter ?? createMemoryLimiter(),
    detectors: detectorsPerPolicy(options.withDetectors ? options.withDetectors(detectors) : detectors),
    audit,
    metrics: createGatewayMetrics(),
    maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
    logger,
    hashKey: "test",
  });
  const address = await gateway.listen("127.0.0.1", 0);
  return {
    url: `http://127.0.0.1:${address.port}`,
    store,
    audit,
    gateway,
    async key(name, roles = [], expiresAt) {
      const k = generateApiKey();
      await store.createApiKey({ name, prefix: k.prefix, hash: k.hash, roles, ...(expiresAt ? { expiresAt } : {}) });
      return k.key;
    },
    async close() {
      await gateway.close(2000);
      await store.close();
    },
  };
}

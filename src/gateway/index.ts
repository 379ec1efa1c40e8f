/** Public surface of the AI gateway. The CLI composes it from concrete parts. */
export {
  AUDIT_EVENT_KIND,
  type AuditWriter,
  type AuditWriterOptions,
  createAuditWriter,
  type EventSink,
} from "./audit.js";
export {
  type ApiKeyLookup,
  type Authenticator,
  authFailure,
  createAuthenticator,
  generateApiKey,
  hashApiKey,
} from "./auth.js";
export {
  createGatewayDetectors,
  type DetectorSpec,
  detectorSpecOf,
  detectorsPerPolicy,
  type InjectionClassifierSpec,
  injectionClassifierSpec,
} from "./detectors.js";
export { ENDPOINTS, type EndpointSpec } from "./endpoints.js";
export { GATEWAY_ERRORS, GatewayError, type GatewayErrorCode, toErrorResponse } from "./errors.js";
export { alt, each, leaf, obj, pick, type Spec } from "./fields.js";
export {
  createGuardPool,
  GUARD_POOL_FAILURES,
  GUARD_POOL_MIN_CHARS,
  type GuardPool,
  GuardPoolError,
  type GuardPoolFailure,
  type GuardPoolOptions,
  type GuardScan,
  type GuardScanOptions,
} from "./guard-pool.js";
export {
  createGuards,
  type GuardDetectors,
  type GuardVerdict,
  type InjectionScorer,
  type OffThreadAnalyser,
} from "./guards.js";
export {
  type Admission,
  createMemoryLimiter,
  createRedisLimiter,
  type Limiter,
  type Rejection,
  type Usage,
} from "./limits.js";
export { createGatewayMetrics, type GatewayMetrics } from "./metrics.js";
export type { ProxyDeps } from "./proxy.js";
export {
  type AuditRetention,
  type AuditRetentionOptions,
  type EventPruner,
  startAuditRetention,
} from "./retention.js";
export { createModelRouter, type ModelRouter } from "./router.js";
export { createGatewayServer, type GatewayServer } from "./server.js";
export { createNdjsonSplitter, createSseParser, formatSse, type SseEvent } from "./sse.js";
export { redactAll, redactDeep, TRACEPARENT } from "./stages/audit-event.js";
export { createUpstreamPool, type Target, type Upstream, type UpstreamPool } from "./upstreams/client.js";
export { UPSTREAM_KIND_SPECS, type UpstreamKindSpec } from "./upstreams/kinds.js";

/** The built-in policy used when the gateway is started without one. */
export const DEFAULT_POLICY_FILE = new URL("../../rules/policy/default.yaml", import.meta.url).pathname;

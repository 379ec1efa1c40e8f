/** Prometheus metrics for the gateway (prom-client), in one registry per gateway instance. */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<"endpoint" | "status">;
  latency: Histogram<"endpoint" | "stream">;
  overhead: Histogram<"endpoint" | "stream">;
  guardOutcomes: Counter<"guard" | "direction" | "outcome">;
  tokens: Counter<"kind">;
  inflight: Gauge;
}

export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  const buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
  return {
    registry,
    requests: new Counter({
      name: "palisade_gateway_requests_total",
      help: "Requests by endpoint and status",
      labelNames: ["endpoint", "status"],
      registers: [registry],
    }),
    latency: new Histogram({
      name: "palisade_gateway_request_seconds",
      help: "Whole request time",
      labelNames: ["endpoint", "stream"],
      buckets,
      registers: [registry],
    }),
    overhead: new Histogram({
      name: "palisade_gateway_overhead_seconds",
      help: "Time the gateway added before the upstream answered",
      labelNames: ["endpoint", "stream"],
      buckets,
      registers: [registry],
    }),
    guardOutcomes: new Counter({
      name: "palisade_gateway_guard_outcomes_total",
      help: "Guard verdicts",
      labelNames: ["guard", "direction", "outcome"],
      registers: [registry],
    }),
    tokens: new Counter({
      name: "palisade_gateway_tokens_total",
      help: "Tokens reported by upstreams",
      labelNames: ["kind"],
      registers: [registry],
    }),
    inflight: new Gauge({
      name: "palisade_gateway_inflight_requests",
      help: "Requests in flight",
      registers: [registry],
    }),
  };
}

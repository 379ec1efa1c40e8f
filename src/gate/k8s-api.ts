/**
 * Listing a cluster's workloads from the Kubernetes API, as `kubectl get -o json` would: the
 * kubeconfig (file, context, credentials: tokens, client certificates, exec and OIDC plugins, CA)
 * is read by `@kubernetes/client-node`, and the lists are fetched as raw JSON, page by page
 * (`limit`/`continue`, the API's chunked list), so the objects go through the same importer as
 * kubectl output. Every response is bounded in bytes and time; the token never appears in an error.
 */
import http from "node:http";
import https from "node:https";
import { describeError, PalisadeError } from "../core/index.js";

/** The resources the inventory reads: pods, the controllers that own them, NetworkPolicies. */
export const CLUSTER_RESOURCES = [
  { kind: "Pod", apiVersion: "v1", plural: "pods" },
  { kind: "Deployment", apiVersion: "apps/v1", plural: "deployments" },
  { kind: "StatefulSet", apiVersion: "apps/v1", plural: "statefulsets" },
  { kind: "DaemonSet", apiVersion: "apps/v1", plural: "daemonsets" },
  { kind: "ReplicaSet", apiVersion: "apps/v1", plural: "replicasets" },
  { kind: "Job", apiVersion: "batch/v1", plural: "jobs" },
  { kind: "CronJob", apiVersion: "batch/v1", plural: "cronjobs" },
  { kind: "NetworkPolicy", apiVersion: "networking.k8s.io/v1", plural: "networkpolicies" },
] as const;

export interface ClusterListOptions {
  /** Kubeconfig file; default: `$KUBECONFIG`, `~/.kube/config`, or the in-cluster service account. */
  kubeconfig?: string;
  /** Context to use instead of the kubeconfig's current one. */
  context?: string;
  /** Only this namespace (default: all namespaces). */
  namespace?: string;
  /** Items per page (`limit`); default 500. */
  pageSize?: number;
  /** Objects across all lists before the listing is refused; default 100,000. */
  maxObjects?: number;
  /** Bytes of one response; default 64 MiB. */
  maxResponseBytes?: number;
  /** Time for one request; default 30 s. */
  timeoutMs?: number;
}

/** What the listing returned: the objects (each with its kind) and the lists that failed. */
export interface ClusterListing {
  /** The API server's URL. */
  server: string;
  context: string;
  objects: Record<string, unknown>[];
  /** Lists that could not be read (e.g. RBAC forbids cronjobs), with the reason; the rest are used. */
  errors: { resource: string; reason: string }[];
}

/** Headers, TLS and agent for requests to the API server, from the kubeconfig. */
type RequestOptions = https.RequestOptions;

/**
 * List every resource of CLUSTER_RESOURCES in the cluster the kubeconfig names. Throws a
 * PalisadeError when the kubeconfig cannot be used (`bad-config`) or the server cannot be
 * reached or refuses every list (`upstream-unavailable`).
 */
export async function listClusterObjects(options: ClusterListOptions = {}): Promise<ClusterListing> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  const where = options.kubeconfig ?? "the default kubeconfig";
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new PalisadeError("bad-config", `${where}: cannot be read (${describeError(error)})`, {
      input: options.kubeconfig,
      cause: error,
    });
  }
  if (options.context) {
    if (!kc.getContexts().some((c) => c.name === options.context))
      throw new PalisadeError("bad-config", `${where}: no context named ${options.context}`, {
        input: options.context,
      });
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server)
    throw new PalisadeError("bad-config", `${where}: no cluster for context ${kc.getCurrentContext() || "(none)"}`, {
      input: options.kubeconfig,
    });
  let base: URL;
  try {
    base = new URL(cluster.server);
  } catch (error) {
    throw new PalisadeError("bad-config", `${where}: cluster server is not a URL`, { cause: error });
  }
  const server = `${base.protocol}//${base.host}${base.pathname.replace(/\/$/, "")}`;
  const requestOptions: RequestOptions = { method: "GET", headers: { accept: "application/json" } };
  try {
    await kc.applyToHTTPSOptions(requestOptions);
  } catch (error) {
    throw new PalisadeError(
      "bad-config",
      `${where}: credentials for ${server} cannot be used (${describeError(error)})`,
      {
        input: options.kubeconfig,
        cause: error,
      },
    );
  }

  const limits = {
    pageSize: options.pageSize ?? 500,
    maxObjects: options.maxObjects ?? 100_000,
    maxResponseBytes: options.maxResponseBytes ?? 64 * 1024 * 1024,
    timeoutMs: options.timeoutMs ?? 30_000,
  };
  const objects: Record<string, unknown>[] = [];
  const errors: ClusterListing["errors"] = [];
  for (const resource of CLUSTER_RESOURCES) {
    const prefix = resource.apiVersion === "v1" ? "/api/v1" : `/apis/${resource.apiVersion}`;
    const scope = options.namespace ? `/namespaces/${encodeURIComponent(options.namespace)}` : "";
    let next: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: String(limits.pageSize) });
      if (next) query.set("continue", next);
      const url = new URL(`${server}${prefix}${scope}/${resource.plural}?${query}`);
      const answer = await getJson(url, requestOptions, limits);
      if ("reason" in answer) {
        errors.push({ resource: resource.plural, reason: answer.reason });
        break;
      }
      const list = answer.body;
      if (!isRecord(list) || !Array.isArray(list.items)) {
        errors.push({ resource: resource.plural, reason: "the answer is not a Kubernetes List" });
        break;
      }
      for (const item of list.items) {
        if (!isRecord(item)) continue;
        // List items carry no kind or apiVersion of their own (the list's kind says it).
        objects.push({ apiVersion: resource.apiVersion, kind: resource.kind, ...item });
      }
      if (objects.length > limits.maxObjects)
        throw new PalisadeError("bad-input", `${server}: more than ${limits.maxObjects} objects`, { input: server });
      const cont = isRecord(list.metadata) ? list.metadata.continue : undefined;
      next = typeof cont === "string" && cont !== "" ? cont : undefined;
      if (++pages > 10_000) throw new PalisadeError("bad-input", `${server}: ${resource.plural} never ends`);
    } while (next);
  }
  if (errors.length === CLUSTER_RESOURCES.length)
    throw new PalisadeError(
      "upstream-unavailable",
      `${server}: every list failed (${errors[0]?.resource}: ${errors[0]?.reason})`,
      { input: server },
    );
  return { server, context: kc.getCurrentContext(), objects, errors };
}

/**
 * GET a URL and parse its JSON body: the body, or a reason for an HTTP error status (a list the
 * caller may go without). Connection and TLS failures throw: nothing can be listed then.
 */
function getJson(
  url: URL,
  base: RequestOptions,
  limits: { maxResponseBytes: number; timeoutMs: number },
): Promise<{ body: unknown } | { reason: string }> {
  const transport = url.protocol === "http:" ? http : https;
  const where = `${url.protocol}//${url.host}`;
  return new Promise((resolve, reject) => {
    const fail = (reason: string, cause?: unknown) =>
      reject(new PalisadeError("upstream-unavailable", `${where}: ${reason}`, { input: where, cause }));
    const request = transport.request(url, { ...base, headers: { ...base.headers } }, (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxResponseBytes) {
          request.destroy();
          fail(`${url.pathname}: answer larger than ${limits.maxResponseBytes} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      response.on("error", (error) => fail(describeError(error), error));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (status !== 200) {
          resolve({ reason: `HTTP ${status}${statusMessage(text)}` });
          return;
        }
        try {
          resolve({ body: JSON.parse(text) as unknown });
        } catch {
          resolve({ reason: "the answer is not JSON" });
        }
      });
    });
    request.setTimeout(limits.timeoutMs, () => {
      request.destroy();
      fail(`${url.pathname}: no answer in ${limits.timeoutMs} ms`);
    });
    request.on("error", (error) => fail(describeError(error), error));
    request.end();
  });
}

/** The `message` of a Kubernetes Status body, shortened, for an error line. */
function statusMessage(text: string): string {
  try {
    const value = JSON.parse(text) as unknown;
    if (isRecord(value) && typeof value.message === "string") return `: ${value.message.slice(0, 200)}`;
  } catch {
    // not a Status
  }
  return "";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

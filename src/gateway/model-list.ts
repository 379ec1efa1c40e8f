/**
 * The models `GET /v1/models` lists: the names the configuration spells out (aliases, exact
 * model names) and, for upstreams that serve a glob (`--upstream URL` serves `*`), the models
 * those upstreams list themselves, asked with a short timeout and cached for a while. A model
 * an upstream lists is shown only if the router would send a request for it to that upstream.
 */
import type { ModelRouter } from "./router.js";
import type { Upstream, UpstreamPool } from "./upstreams/client.js";

const CACHE_MS = 30_000;
const ASK_TIMEOUT_MS = 2_000;
const MAX_LISTED = 1_000;
const GLOB = /[*?[\]{}]/;

export interface ModelLister {
  list(): Promise<string[]>;
}

export function createModelLister(router: ModelRouter, upstreams: UpstreamPool): ModelLister {
  let cached: { until: number; names: Promise<string[]> } | undefined;

  async function ask(upstream: Upstream): Promise<string[]> {
    const response = await upstreams
      .send([{ upstream, model: "" }], {
        method: "GET",
        path: (spec) => spec.modelsPath,
        body: () => "",
        signal: AbortSignal.timeout(ASK_TIMEOUT_MS),
      })
      .catch(() => undefined);
    if (!response) return [];
    try {
      if (response.status !== 200) return [];
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > 4 * 1024 * 1024) return [];
        chunks.push(chunk as Buffer);
      }
      const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: { id?: unknown }[] };
      return (Array.isArray(parsed.data) ? parsed.data : [])
        .map((m) => m?.id)
        .filter((id): id is string => typeof id === "string" && id !== "" && id.length <= 256)
        .filter((id) => router.targets(id).some((t) => t.upstream === upstream))
        .slice(0, MAX_LISTED);
    } catch {
      return [];
    } finally {
      response.release();
    }
  }

  async function gather(): Promise<string[]> {
    const names = new Set(router.knownModels());
    const open = upstreams.upstreams.filter((u) => u.config.models.some((m) => GLOB.test(m)));
    for (const found of await Promise.all(open.map(ask))) for (const name of found) names.add(name);
    return [...names].sort();
  }

  return {
    list() {
      const now = Date.now();
      if (!cached || cached.until < now) cached = { until: now + CACHE_MS, names: gather() };
      return cached.names;
    },
  };
}

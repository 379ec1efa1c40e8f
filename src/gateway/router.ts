/** Model names (aliases and globs) to the upstreams that serve them, in failover order. */
import type { UpstreamConfig } from "../core/index.js";
import { compileGlobs, type Matcher } from "../policy/index.js";
import type { Target, Upstream } from "./upstreams/client.js";

export interface ModelRouter {
  targets(model: string): Target[];
  /** Model names clients can ask for: aliases and the non-glob model names. */
  knownModels(): string[];
}

export function createModelRouter(upstreams: readonly Upstream[]): ModelRouter {
  const compiled: { upstream: Upstream; config: UpstreamConfig; matches: Matcher }[] = upstreams.map((u) => ({
    upstream: u,
    config: u.config,
    matches: compileGlobs(u.config.models),
  }));
  return {
    targets(model) {
      const out: Target[] = [];
      for (const c of compiled) {
        const alias = c.config.aliases[model];
        if (alias !== undefined) out.push({ upstream: c.upstream, model: alias });
        else if (c.matches(model)) out.push({ upstream: c.upstream, model });
      }
      return out;
    },
    knownModels() {
      const names = new Set<string>();
      for (const c of compiled) {
        for (const alias of Object.keys(c.config.aliases)) names.add(alias);
        for (const m of c.config.models) if (!/[*?[\]{}]/.test(m)) names.add(m);
      }
      return [...names].sort();
    },
  };
}

/**
 * What a registry holds, as scan jobs: every repository of its catalog (or one repository),
 * every tag, each resolved to the digest it points at now. Jobs are by digest, so a tag that
 * moved is a new job and one that did not is recognised as already scanned.
 */
import { PalisadeError } from "../../core/index.js";
import type { ImageJob } from "./queue.js";
import { RegistryClient, type RegistryOptions } from "./source/registry.js";

export interface ListOptions extends RegistryOptions {
  platform?: string;
  /** At most this many repositories and tags per repository (bounds a huge registry). */
  maxRepositories?: number;
  maxTags?: number;
}

/** `HOST[:PORT]` or `HOST[:PORT]/REPO`: the registry and, optionally, one repository. */
export function parseRegistryTarget(text: string): { registry: string; repository?: string } {
  const clean = text.replace(/^registry:\/*/, "").replace(/\/+$/, "");
  const slash = clean.indexOf("/");
  const registry = slash < 0 ? clean : clean.slice(0, slash);
  const repository = slash < 0 ? undefined : clean.slice(slash + 1);
  if (
    !/^[A-Za-z0-9.-]+(?::\d+)?$/.test(registry) ||
    (repository !== undefined && !/^[a-z0-9][a-z0-9._/-]*$/.test(repository))
  )
    throw new PalisadeError("bad-usage", `${text}: expected HOST[:PORT] or HOST[:PORT]/REPOSITORY`, { input: text });
  return repository ? { registry, repository } : { registry };
}

export async function listRegistryJobs(target: string, options: ListOptions = {}): Promise<ImageJob[]> {
  const { registry, repository } = parseRegistryTarget(target);
  const client = (repo: string) => new RegistryClient({ registry, repository: repo }, options);
  let repositories: string[];
  if (repository) repositories = [repository];
  else {
    const catalog = client("");
    try {
      repositories = await catalog.catalog(options.maxRepositories ?? 10_000);
    } finally {
      await catalog.close();
    }
  }
  const jobs: ImageJob[] = [];
  for (const repo of repositories) {
    const c = client(repo);
    try {
      for (const tag of await c.tags(options.maxTags ?? 10_000)) {
        const { digest } = await c.manifest(tag);
        jobs.push({
          reference: `registry:${registry}/${repo}@${digest}`,
          digest,
          tag: `${registry}/${repo}:${tag}`,
          ...(options.insecure ? { insecure: true } : {}),
          ...(options.platform ? { platform: options.platform } : {}),
        });
      }
    } finally {
      await c.close();
    }
  }
  return jobs;
}

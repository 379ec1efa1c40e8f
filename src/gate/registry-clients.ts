/**
 * Registry clients for the gates, one per repository and kept (with their tokens) for reuse:
 * the judge reads tags, signatures and attestations through them, and scans pull through them.
 */
import { RegistryClient, type RegistryOptions } from "../scan/image/index.js";

export interface RegistryClients {
  client(image: { registry: string; repository: string }): RegistryClient;
  close(): Promise<void>;
}

/** Clients with the options `optionsFor(registry)` gives (credentials, plain HTTP); at most `max` kept. */
export function createRegistryClients(optionsFor: (registry: string) => RegistryOptions, max = 256): RegistryClients {
  const clients = new Map<string, RegistryClient>();
  return {
    client({ registry, repository }) {
      const key = `${registry}/${repository}`;
      const found = clients.get(key);
      if (found) {
        // Most recently used last: the first entry is the one to drop.
        clients.delete(key);
        clients.set(key, found);
        return found;
      }
      const created = new RegistryClient({ registry, repository }, optionsFor(registry));
      clients.set(key, created);
      if (clients.size > max) {
        const [oldest, client] = clients.entries().next().value as [string, RegistryClient];
        clients.delete(oldest);
        client.close().catch(() => undefined);
      }
      return created;
    },
    async close() {
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
      clients.clear();
    },
  };
}

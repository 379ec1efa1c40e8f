/**
 * What `events serve` runs, in-process over a given store: sensor batches stored and correlated
 * with the shipped rules, and the REST API (incidents among it), behind the caller's authentication.
 */
import type { Identity } from "../../src/core/index.js";
import {
  createCorrelator,
  createEventIngestor,
  createStoreDirectory,
  loadRuleSet,
  SHIPPED_RULES,
} from "../../src/incident/index.js";
import { type IngestServer, startIngestServer } from "../../src/runtime/index.js";
import { createApi } from "../../src/server/index.js";
import type { Store } from "../../src/store/index.js";

export async function startIncidentServer(
  store: Store,
  authenticate: (header: string | undefined) => Promise<Identity>,
  now?: () => number,
): Promise<IngestServer> {
  const directory = createStoreDirectory({ mcp: {} });
  const correlator = createCorrelator({
    store,
    rules: loadRuleSet([SHIPPED_RULES]),
    directory,
    imageSeverity: directory.imageSeverity,
  });
  const ingestor = createEventIngestor({ store, correlator });
  return startIngestServer({
    host: "127.0.0.1",
    port: 0,
    sink: { appendEvents: (events) => ingestor.ingest(events) },
    routes: createApi({ store, directory, version: "test", ...(now ? { now } : {}) }).handler,
    authenticate,
  });
}

// A separate correlating process: the exactly-once test runs one beside the test's own correlator.
import { fileURLToPath } from "node:url";
import { createCorrelator, createStoreDirectory, loadRuleSet } from "../../src/incident/index.js";
import { openStore } from "../../src/store/index.js";

const [location] = process.argv.slice(2);
if (!location) throw new Error("usage: correlate-once LOCATION");
const store = openStore({ location, sqliteBusyTimeoutMs: 30_000 });
try {
  const directory = createStoreDirectory({});
  const rules = loadRuleSet([fileURLToPath(new URL("../../rules/incidents", import.meta.url))]);
  const correlator = createCorrelator({
    store,
    rules,
    directory,
    imageSeverity: directory.imageSeverity,
    batchSize: 20,
  });
  const run = await correlator.run();
  process.stdout.write(`${JSON.stringify({ events: run.events })}\n`);
} finally {
  await store.close();
}

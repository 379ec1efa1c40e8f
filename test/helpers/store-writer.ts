// A separate process that appends events to a store, one transaction each: the concurrent-writer test runs two.
import { openStore } from "../../src/store/index.js";

const [location, countText, prefix] = process.argv.slice(2);
if (!location || !countText || !prefix) throw new Error("usage: store-writer LOCATION COUNT PREFIX");
const store = openStore({ location, sqliteBusyTimeoutMs: 30_000 });
try {
  for (let i = 0; i < Number(countText); i++) {
    await store.appendEvents([
      { id: `${prefix}-${i}`, kind: "test.write", time: Date.now(), correlation: {}, payload: { i } },
    ]);
  }
} finally {
  await store.close();
}

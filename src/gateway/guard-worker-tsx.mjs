// The guard worker's entry when Palisade runs from source (tests, benchmarks, `tsx`): Node 20
// worker threads do not run the parent's `--import tsx` preload, so this registers tsx in the
// thread and then loads guard-worker.ts. The build (dist/) uses the compiled guard-worker.js.
import { register } from "tsx/esm/api";

register();
const worker = import("./guard-worker.ts");

/** Piscina's task handler: the TypeScript worker's, once loaded. */
export default async function scanTask(task) {
  return (await worker).default(task);
}

/** The JSON body parser, the same way. */
export async function parseJson(task) {
  return (await worker).parseJson(task);
}

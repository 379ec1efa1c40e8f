// The threaded ONNX classifier's entry when Palisade runs from source (tests, benchmarks, `tsx`):
// Node 20 worker threads do not run the parent's `--import tsx` preload, so this registers tsx
// in the thread and then loads onnx-worker.ts. The build (dist/) uses the compiled onnx-worker.js.
import { register } from "tsx/esm/api";

register();
await import("./onnx-worker.ts");

/**
 * Model scanner benchmark: generates a ~2 GB PyTorch zip checkpoint (python3, standard library),
 * then measures, in a fresh child process, the time and peak RSS to reach a verdict (pickle and
 * headers only, no hashing) and, in this process, sha256 throughput against a plain read of the
 * same file. When dist/ is built (npm run build) the compiled scanner is measured too, without
 * the TypeScript loader. Prints JSON. Usage: node --import tsx bench/model-scan.ts [--gb 2] [--keep]
 */
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { scanModelFile, sha256File } from "../src/scan/model/index.js";

const GENERATOR = `
import collections, io, os, pickle, struct, sys, types, zipfile
out, total = sys.argv[1], int(float(sys.argv[2]) * (1 << 30))
def fake(mod, name, cls=False):
    parts = mod.split(".")
    for i in range(1, len(parts) + 1):
        n = ".".join(parts[:i])
        if n not in sys.modules:
            sys.modules[n] = types.ModuleType(n)
    obj = type(name, (), {"__module__": mod}) if cls else (lambda *a: None)
    obj.__module__, obj.__qualname__, obj.__name__ = mod, name, name
    setattr(sys.modules[mod], name, obj)
    return obj
rebuild = fake("torch._utils", "_rebuild_tensor_v2")
Float = fake("torch", "FloatStorage", cls=True)
class S:
    def __init__(s, key, n): s.key, s.n = key, n
class T:
    def __init__(s, st, shape): s.st, s.shape = st, shape
    def __reduce__(s):
        return (rebuild, (s.st, 0, s.shape, (s.shape[1], 1), False, collections.OrderedDict()))
class P(pickle.Pickler):
    def persistent_id(self, o):
        return ("storage", Float, o.key, "cpu", o.n) if isinstance(o, S) else None
layers, sd, storages = 48, collections.OrderedDict(), []
per = total // (layers * 4 * 4)
dim = int(per ** 0.5)
for i in range(layers):
    for name in ("q", "k", "v", "o"):
        s = S(str(len(storages)), dim * dim); storages.append(s)
        sd[f"model.layers.{i}.attn.{name}_proj.weight"] = T(s, (dim, dim))
buf = io.BytesIO(); P(buf, protocol=2).dump(sd)
block = os.urandom(1 << 20)
with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", buf.getvalue())
    for s in storages:
        with z.open(f"archive/data/{s.key}", "w", force_zip64=True) as f:
            left = s.n * 4
            while left > 0:
                n = min(left, len(block)); f.write(block[:n]); left -= n
    z.writestr("archive/version", "3\\n")
print(len(storages), dim)
`;

async function child(file: string): Promise<void> {
  const rssBeforeScanMB = Math.round((process.memoryUsage().rss / (1024 * 1024)) * 10) / 10;
  const stats = { bytesRead: 0, reads: 0 };
  const started = process.hrtime.bigint();
  const result = await scanModelFile(file, { hash: false, stats });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    JSON.stringify({
      verdict: result?.verdict,
      format: result?.format,
      parameters: result?.identity.parameters,
      timeToVerdictMs: Math.round(ms * 10) / 10,
      bytesRead: stats.bytesRead,
      reads: stats.reads,
      peakRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
      rssBeforeScanMB,
    }),
  );
}

/** The same measurement as `child`, as a plain ES module over the compiled scanner in dist/. */
function compiledChild(dist: string): string {
  return `import { scanModelFile } from ${JSON.stringify(pathToFileURL(dist).href)};
const rssBeforeScanMB = Math.round((process.memoryUsage().rss / 1048576) * 10) / 10;
const stats = { bytesRead: 0, reads: 0 };
const started = process.hrtime.bigint();
const result = await scanModelFile(process.argv[1], { hash: false, stats });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(JSON.stringify({ verdict: result?.verdict, timeToVerdictMs: Math.round(ms * 10) / 10,
  bytesRead: stats.bytesRead, reads: stats.reads,
  peakRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10, rssBeforeScanMB }));`;
}

async function plainRead(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) n += (chunk as Buffer).length;
  return n;
}

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const value = await run();
  return [value, Number(process.hrtime.bigint() - started) / 1e9];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(args[1] as string);
  const gb = Number(args[args.indexOf("--gb") + 1] ?? 2) || 2;
  const dir = await mkdtemp(join(tmpdir(), "palisade-bench-model-"));
  const file = join(dir, "pytorch_model.bin");
  try {
    const [, genSeconds] = await timed(async () =>
      execFileSync("python3", ["-c", GENERATOR, file, String(gb)], { stdio: ["ignore", "pipe", "inherit"] }),
    );
    const size = (await stat(file)).size;
    const self = fileURLToPath(import.meta.url);
    const runs = [0, 1, 2].map(
      () =>
        JSON.parse(
          execFileSync(process.execPath, ["--import", "tsx", self, "--child", file], { encoding: "utf8" }),
        ) as Record<string, number | string>,
    );
    // The shipped build (npm run build) runs without the TypeScript loader: its RSS is what users see.
    const dist = fileURLToPath(new URL("../dist/scan/model/index.js", import.meta.url));
    const compiledRuns = existsSync(dist)
      ? [0, 1, 2].map(
          () =>
            JSON.parse(
              execFileSync(process.execPath, ["--input-type=module", "-e", compiledChild(dist), file], {
                encoding: "utf8",
              }),
            ) as Record<string, number | string>,
        )
      : "dist/ not built: run `npm run build` first to measure the compiled scanner";
    // Alternate plain reads and sha256 passes so both see the same page-cache state.
    const mb = size / (1024 * 1024);
    const readMBps: number[] = [];
    const sha256MBps: number[] = [];
    let digest = "";
    for (let i = 0; i < 2; i++) {
      const [, readSeconds] = await timed(() => plainRead(file));
      readMBps.push(Math.round(mb / readSeconds));
      const [hex, hashSeconds] = await timed(() => sha256File(file));
      sha256MBps.push(Math.round(mb / hashSeconds));
      digest = hex;
    }
    process.stdout.write(
      `${JSON.stringify(
        {
          file: { bytes: size, generatedInSeconds: Math.round(genSeconds * 10) / 10 },
          verdictRuns: runs,
          verdictRunsCompiled: compiledRuns,
          sha256: { digest, MBps: sha256MBps },
          plainRead: { MBps: readMBps },
          note: "same file, same process, 4 MiB chunks, alternating; page cache not dropped (file was just written)",
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    if (!args.includes("--keep")) await rm(dir, { recursive: true, force: true });
  }
}

await main();

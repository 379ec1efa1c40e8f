/**
 * The AI layer of an image: which packages are AI SDKs and ML frameworks (the AI catalog),
 * which are inference servers or MCP servers, which GPU libraries it ships, and which model
 * its entrypoint serves. Signals are data (rules/image/ai-signals.yaml).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseYamlSource, validateYaml } from "../../core/index.js";
import { type AiCatalog, createSdkIndex, defaultRulesDir, type Ecosystem } from "../code/index.js";
import type { FoundPackage } from "./types.js";

const SignalsSchema = z.strictObject({
  inferenceServers: z.array(
    z.strictObject({ name: z.string(), packages: z.array(z.string()), executables: z.array(z.string()) }),
  ),
  mcpServers: z.array(z.string()),
  gpuLibraries: z.array(z.strictObject({ name: z.string(), file: z.string() })),
});
type Signals = z.infer<typeof SignalsSchema>;

export function loadAiSignals(rulesDir = defaultRulesDir()): Signals {
  const file = join(rulesDir, "image", "ai-signals.yaml");
  return validateYaml(SignalsSchema, parseYamlSource(readFileSync(file, "utf8"), file));
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i");

/** `PyPI:name` or `npm:name`: which ecosystem a signal's package lives in. */
function split(signal: string): { ecosystem: string; name: RegExp } {
  const at = signal.indexOf(":");
  return { ecosystem: signal.slice(0, at), name: glob(signal.slice(at + 1)) };
}

const CATALOG_ECOSYSTEM: Record<string, Ecosystem> = { PyPI: "pypi", npm: "npm", Go: "go", Maven: "maven" };

export interface AiComponent {
  kind: "ai-sdk" | "inference-server" | "mcp-server" | "gpu-library";
  name: string;
  version?: string;
  /** For ai-sdk: the catalog's category (ml-framework, local-inference, provider, mcp...). */
  category?: string;
  /** What showed it: a package purl, an executable path, a library file. */
  evidence: string;
  layer: number;
}

export interface AiClassifier {
  classifyPackage(pkg: FoundPackage): AiComponent[];
  classifyFile(path: string, mode: number, layer: number): AiComponent | undefined;
}

export function createAiClassifier(catalog: AiCatalog, signals: Signals = loadAiSignals()): AiClassifier {
  // The code scanner's index: exact names, then families (`langchain-*`), names compared per ecosystem.
  const sdks = createSdkIndex(catalog);
  const servers = signals.inferenceServers.map((s) => ({
    name: s.name,
    packages: s.packages.map(split),
    executables: new Set(s.executables),
  }));
  const mcp = signals.mcpServers.map(split);
  const gpu = signals.gpuLibraries.map((g) => ({ name: g.name, file: glob(g.file) }));
  const baseName = (ecosystem: string) => ecosystem.split(":")[0] ?? ecosystem;
  return {
    classifyPackage(pkg) {
      const out: AiComponent[] = [];
      const ecosystem = baseName(pkg.ecosystem);
      const common = { version: pkg.version, evidence: pkg.purl, layer: pkg.layer };
      const catalogEcosystem = CATALOG_ECOSYSTEM[ecosystem];
      const isMcpServer = mcp.some((p) => p.ecosystem === ecosystem && p.name.test(pkg.name));
      // A family (`@modelcontextprotocol/*`) also covers its publisher's servers: a server is not an SDK.
      const sdk = catalogEcosystem && !isMcpServer ? sdks.byName(catalogEcosystem, pkg.name) : undefined;
      if (sdk) out.push({ kind: "ai-sdk", name: pkg.name, category: sdk.category, ...common });
      for (const server of servers)
        if (server.packages.some((p) => p.ecosystem === ecosystem && p.name.test(pkg.name)))
          out.push({ kind: "inference-server", name: server.name, ...common });
      if (isMcpServer) out.push({ kind: "mcp-server", name: pkg.name, ...common });
      // NVIDIA's wheels (nvidia-cudnn-cu12...) are GPU libraries shipped as Python packages.
      if (ecosystem === "PyPI" && /^nvidia-(cuda-runtime|cudnn|nccl|cublas)/i.test(pkg.name))
        out.push({ kind: "gpu-library", name: pkg.name.toLowerCase(), ...common });
      return out;
    },
    classifyFile(path, mode, layer) {
      const base = path.slice(path.lastIndexOf("/") + 1);
      if ((mode & 0o111) !== 0 && /(^|\/)(s?bin|local\/bin|opt\/[^/]+\/bin|app)\/[^/]+$/.test(path)) {
        const server = servers.find(
          (s) =>
            s.executables.has(base) &&
            !(base === "server" && !path.includes("llama")) &&
            !(base === "serve" && !path.includes("ray")),
        );
        if (server) return { kind: "inference-server", name: server.name, evidence: path, layer };
      }
      for (const g of gpu) {
        if (!g.file.test(base)) continue;
        // The version is in the file name: libcudart.so.12.2.140 → 12.2.140.
        const version = /\.so\.(\d+(?:\.\d+)*)$/.exec(base)?.[1];
        return { kind: "gpu-library", name: g.name, ...(version ? { version } : {}), evidence: path, layer };
      }
      return undefined;
    },
  };
}

/** The model an image serves, read from its entrypoint, command and environment. */
export function servedModel(
  entrypoint: readonly string[],
  cmd: readonly string[],
  env: readonly string[],
): { model: string; from: string } | undefined {
  const argv = [...entrypoint, ...cmd].flatMap((a) =>
    /\s/.test(a) && entrypoint.length + cmd.length <= 3 ? a.split(/\s+/) : [a],
  );
  // `-m` is llama.cpp's model flag, but Python's "run this module": not a model after python.
  const shortFlag = !/(^|\/)python[\d.]*$/.test(argv[0] ?? "");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const flag =
      /^--(model|model-id|model-path|model_name_or_path)(?:=(.+))?$/.exec(arg) ??
      (arg === "-m" && shortFlag ? [arg, "m"] : null);
    if (flag) {
      const value = flag[2] ?? argv[i + 1];
      if (value && !value.startsWith("-")) return { model: value, from: `command ${arg}` };
    }
    // `vllm serve MODEL`, `ollama run MODEL`
    if ((arg === "serve" && /vllm$/.test(argv[i - 1] ?? "")) || (arg === "run" && /ollama$/.test(argv[i - 1] ?? ""))) {
      const value = argv[i + 1];
      if (value && !value.startsWith("-")) return { model: value, from: `command ${argv[i - 1]} ${arg}` };
    }
  }
  for (const name of ["MODEL_ID", "HF_MODEL_ID", "MODEL_NAME", "MODEL", "LLM_MODEL", "OLLAMA_MODEL"]) {
    const entry = env.find((e) => e.startsWith(`${name}=`));
    const value = entry?.slice(name.length + 1);
    if (value) return { model: value, from: `env ${name}` };
  }
  return undefined;
}

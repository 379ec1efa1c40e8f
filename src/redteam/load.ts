/**
 * Reading probe packs from disk: the shipped `rules/redteam` folder and the user's own. The only
 * file of the module that reads files; the CLI calls it once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PalisadeError } from "../core/index.js";
import { MAX_PACK_BYTES, type ProbePack, parseProbePack } from "./pack.js";

/** The shipped `rules/redteam` folder, found by walking up from this file (works from src/ and dist/). */
export function defaultPacksDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, "rules", "redteam");
    if (existsSync(join(candidate, "injection.yaml"))) return candidate;
    dir = dirname(dir);
  }
  throw new PalisadeError("internal", "cannot find the shipped rules/redteam folder");
}

function readPack(file: string): ProbePack {
  let text: string;
  try {
    if (statSync(file).size > MAX_PACK_BYTES)
      throw new PalisadeError("bad-input", `${file}: a probe pack is at most ${MAX_PACK_BYTES} bytes`, {
        input: file,
      });
    text = readFileSync(file, "utf8");
  } catch (cause) {
    if (cause instanceof PalisadeError) throw cause;
    throw new PalisadeError("bad-input", `cannot read probe pack ${file}: ${(cause as Error).message}`, {
      input: file,
      cause,
    });
  }
  const pack = parseProbePack(text, file);
  const stem = basename(file).replace(/\.ya?ml$/, "");
  if (pack.metadata.name !== stem)
    throw new PalisadeError(
      "bad-config",
      `${file}: metadata.name is ${pack.metadata.name}; name the file ${pack.metadata.name}.yaml`,
      {
        input: file,
      },
    );
  return pack;
}

/** Every pack in the folders, sorted by name; a name in two folders is an error. */
export function loadProbePacks(dirs: readonly string[] = [defaultPacksDir()]): ProbePack[] {
  const packs = new Map<string, { pack: ProbePack; file: string }>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n));
    } catch (cause) {
      throw new PalisadeError("bad-input", `cannot read probe packs in ${dir}: ${(cause as Error).message}`, {
        input: dir,
        cause,
      });
    }
    for (const name of names.sort()) {
      const file = resolve(dir, name);
      const pack = readPack(file);
      const earlier = packs.get(pack.metadata.name);
      if (earlier)
        throw new PalisadeError(
          "bad-config",
          `${file}: pack ${pack.metadata.name} is also defined in ${earlier.file}`,
          {
            input: file,
          },
        );
      packs.set(pack.metadata.name, { pack, file });
    }
  }
  return [...packs.values()].map((p) => p.pack).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** The packs named (all when none), in the order given; an unknown name is bad usage naming it. */
export function selectPacks(packs: readonly ProbePack[], names: readonly string[]): ProbePack[] {
  if (names.length === 0) return [...packs];
  return names.map((name) => {
    const pack = packs.find((p) => p.metadata.name === name);
    if (!pack)
      throw new PalisadeError(
        "bad-usage",
        `--pack ${name}: no such probe pack (known: ${packs.map((p) => p.metadata.name).join(", ")})`,
        { input: name },
      );
    return pack;
  });
}

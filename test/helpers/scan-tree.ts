/** `palisade scan code` over a scratch repository, for the AI-BOM corpus-round tests. */
import { loadAiCatalog } from "../../src/scan/code/catalog.js";
import { scanCodebase } from "../../src/scan/code/scan.js";
import { aTree } from "./tree.js";

const catalog = loadAiCatalog();

/** The scan of a temp repository holding `files` (path → content). */
export const scanTree = async (files: Record<string, string>) => scanCodebase(await aTree(files), { catalog });

/** Its models as `id@file`, sorted. */
export const modelsOf = async (files: Record<string, string>): Promise<string[]> =>
  (await scanTree(files)).models.map((m) => `${m.id}@${m.file}`).sort();

/** Its SDKs as `name@manifest` (`-` when declared nowhere), sorted. */
export const sdksOf = async (files: Record<string, string>): Promise<string[]> =>
  (await scanTree(files)).sdks.map((s) => `${s.name}@${s.manifest ?? "-"}`).sort();

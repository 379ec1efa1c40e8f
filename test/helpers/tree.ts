/** A scratch repository made of the given files (the AI-BOM corpus-round tests). */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temp directory holding `files` (path relative to it → content). */
export async function aTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "palisade-tree-"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), text);
  }
  return root;
}

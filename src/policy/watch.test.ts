import assert from "node:assert/strict";
import { mkdtemp, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createPolicyHolder } from "./index.js";

const policy = (models: string) =>
  `apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: w }\nspec:\n  runtime:\n    roles:\n      - { name: r, identities: ["*"], models: [${models}] }\n`;
const request = (model: string) => ({
  kind: "request" as const,
  identity: { id: "u", roles: [] },
  route: "/",
  model,
  tools: [],
});

async function until(predicate: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error("timed out waiting for reload");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("policy hot reload", () => {
  it("swaps in a changed policy and keeps the old one when the new one is bad", async () => {
    const dir = await mkdtemp(join(tmpdir(), "palisade-watch-"));
    const file = join(dir, "policy.yaml");
    await writeFile(file, policy('"a"'));
    const errors: unknown[] = [];
    let reloads = 0;
    const holder = createPolicyHolder({
      files: [file],
      watch: true,
      debounceMs: 20,
      onError: (e) => errors.push(e),
      onReload: () => reloads++,
    });
    try {
      assert.equal(holder.current().evaluate(request("b")).decision, "deny");
      // Editors and ConfigMaps replace the file: write elsewhere, then rename over it.
      await writeFile(join(dir, "tmp"), policy('"a", "b"'));
      await rename(join(dir, "tmp"), file);
      await until(() => reloads === 1);
      assert.equal(holder.current().evaluate(request("b")).decision, "allow");

      await writeFile(
        file,
        "apiVersion: palisade.dev/v1\nkind: Policy\nmetadata: { name: w }\nspec: { runtime: { roles: 7 } }\n",
      );
      await until(() => errors.length > 0);
      assert.equal(holder.current().evaluate(request("b")).decision, "allow", "the last good policy stays");

      const manual = holder.reload();
      assert.equal(manual.ok, false);
    } finally {
      holder.close();
    }
  });
});

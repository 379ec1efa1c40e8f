/**
 * The Dockerfile, checked without a Docker engine (none runs on the CI machines): stages refer to
 * each other correctly, the runtime stage has no shell to run anything with and runs as a non-root
 * user, and it ships every path the npm package ships (package.json `files`), so the image runs
 * what `npm install` would.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

const text = readFileSync(new URL("../Dockerfile", import.meta.url), "utf8");
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { files: string[] };

interface Instruction {
  op: string;
  args: string;
}

/** Instructions per stage (continuation lines joined, comments dropped). */
function stages(dockerfile: string): { from: string; name?: string; body: Instruction[] }[] {
  const lines = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const out: { from: string; name?: string; body: Instruction[] }[] = [];
  for (const line of lines) {
    const [op = "", ...rest] = line.split(/\s+/);
    const args = rest.join(" ");
    if (op.toUpperCase() === "FROM") {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      out.push({ from: m?.[1] ?? args, ...(m?.[2] ? { name: m[2] } : {}), body: [] });
    } else out.at(-1)?.body.push({ op: op.toUpperCase(), args });
  }
  return out;
}

describe("Dockerfile", () => {
  const all = stages(text);
  const runtime = all.at(-1);

  it("builds in stages whose COPY --from names an earlier stage", () => {
    assert.ok(all.length >= 2);
    const names = new Set<string>();
    for (const stage of all) {
      for (const i of stage.body.filter((b) => b.op === "COPY")) {
        const from = /--from=(\S+)/.exec(i.args)?.[1];
        if (from) assert.ok(names.has(from), `COPY --from=${from} names no earlier stage`);
      }
      if (stage.name) names.add(stage.name);
    }
  });

  it("runs as a non-root user in a runtime stage with no shell: distroless, no RUN, exec-form entrypoint", () => {
    assert.ok(runtime);
    assert.match(runtime.from, /^gcr\.io\/distroless\/nodejs20-debian12:nonroot$/);
    assert.deepEqual(
      runtime.body.filter((b) => b.op === "RUN" || b.op === "SHELL"),
      [],
    );
    assert.equal(runtime.body.find((b) => b.op === "USER")?.args, "nonroot");
    const entrypoint = runtime.body.find((b) => b.op === "ENTRYPOINT")?.args ?? "";
    assert.deepEqual(JSON.parse(entrypoint), ["/nodejs/bin/node", "/app/bin/palisade.js"]);
    assert.ok(Array.isArray(JSON.parse(runtime.body.find((b) => b.op === "CMD")?.args ?? "null")));
  });

  it("ships every path the npm package ships, and the production dependencies", () => {
    // The source of each COPY, relative to the earlier stage's /app.
    const copied = (runtime?.body ?? [])
      .filter((b) => b.op === "COPY")
      .map((b) =>
        b.args
          .split(/\s+/)
          .at(-2)
          ?.replace(/^\/app\//, ""),
      );
    for (const file of [...pkg.files, "package.json", "node_modules"])
      assert.ok(copied.includes(file), `${file} is not copied`);
  });

  it("keeps local state out of the build context", () => {
    const ignored = readFileSync(new URL("../.dockerignore", import.meta.url), "utf8").split("\n");
    for (const path of ["node_modules", "dist", "web/dist", ".git", "*.db"]) assert.ok(ignored.includes(path), path);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../store/index.js";
import { runIncidentContract } from "./incident.contract.js";

runIncidentContract("sqlite", {
  async create() {
    const dir = await mkdtemp(join(tmpdir(), "palisade-incident-"));
    return { location: join(dir, "palisade.db"), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
  open: (location) => openStore({ location, sqliteBusyTimeoutMs: 30_000 }),
});

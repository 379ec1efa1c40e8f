import { runIncidentContract } from "../src/incident/incident.contract.js";
import { openStore } from "../src/store/index.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";

const skip = postgresSkipReason();

runIncidentContract(
  "postgres",
  {
    async create() {
      const { url, drop } = await createTempDatabase();
      return { location: url, cleanup: drop };
    },
    open: (location) => openStore({ location }),
  },
  skip ? { skip } : {},
);

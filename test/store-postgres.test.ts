import { openStore } from "../src/store/index.js";
import { runStoreContract } from "../src/store/store.contract.js";
import { createTempDatabase, postgresSkipReason } from "./helpers/postgres.js";

const skip = postgresSkipReason();

runStoreContract(
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

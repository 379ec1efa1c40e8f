/**
 * Throwaway PostgreSQL databases for tests. PALISADE_TEST_DATABASE_URL names a server and a
 * role that may CREATE DATABASE; .ci/run starts Debian's PostgreSQL and sets it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const postgresAdminUrl = process.env.PALISADE_TEST_DATABASE_URL;

/** Why the PostgreSQL suites cannot run here, or undefined when they can. In CI they must run. */
export function postgresSkipReason(): string | undefined {
  if (postgresAdminUrl) return undefined;
  if (process.env.CI)
    throw new Error("CI is set but PALISADE_TEST_DATABASE_URL is not: PostgreSQL tests must run in CI");
  return "PALISADE_TEST_DATABASE_URL is not set (bash .ci/run starts PostgreSQL and sets it)";
}

/** Create an empty database; returns its URL and a function that drops it. */
export async function createTempDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!postgresAdminUrl) throw new Error("PALISADE_TEST_DATABASE_URL is not set");
  const name = `palisade_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

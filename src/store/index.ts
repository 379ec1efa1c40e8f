/** Public surface of the store: open one, migrate it, and read/write the inventory and events. */
export {
  type AdvisoryImportOptions,
  type AdvisoryImportResult,
  type AdvisoryQuery,
  type AdvisoryStore,
  type AdvisorySummary,
  advisoryIndexFor,
} from "./advisories.js";
export {
  AUDIT_PROBLEM_KINDS,
  type AuditAnchor,
  type AuditProblem,
  type AuditProblemKind,
  type AuditReport,
  type AuditVerifyOptions,
  parseAuditAnchor,
  verifyAuditChain,
} from "./audit-chain.js";
export { STORE_DIALECTS, type StoreBackend, type StoreDialect } from "./backend.js";
export { createWorkerEventWriter, type WorkerEventWriter } from "./event-writer.js";
export { insertAbsentAssets, upsertAssets, upsertEdges } from "./inventory.js";
export { isPostgresUrl, type OpenStoreOptions, openStore, parseStoreLocation } from "./open.js";
export { ASSET_KINDS, type AssetKind, type Database, TABLES } from "./schema.js";
export {
  type ApiKeyRecord,
  type AppendedEvent,
  ASSET_COLUMNS,
  type AssetInput,
  type AssetRecord,
  createStore,
  type EdgeInput,
  type FindingInput,
  knownMigrations,
  type MigrationOutcome,
  type ReachableAsset,
  type RecordedScan,
  type ScanInput,
  type ScanRecord,
  type Store,
  type StoreStatus,
  toAssetRecord,
} from "./store.js";

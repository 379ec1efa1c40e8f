/** Public surface of runtime: the normalised runtime event, sensor parsers and batch ingestion. */
export type { RuntimePayloadInput, SensorConversion } from "./conversion.js";
export {
  ContainerSchema,
  FileSchema,
  isRuntimeEventKind,
  KubernetesSchema,
  NetworkSchema,
  normaliseContainerId,
  ProcessSchema,
  type RejectedEvent,
  RUNTIME_CATEGORIES,
  RUNTIME_SOURCES,
  type RuntimeCategory,
  RuntimeCategorySchema,
  type RuntimeContainer,
  type RuntimePayload,
  RuntimePayloadSchema,
  type RuntimeProcess,
  type RuntimeSource,
  RuntimeSourceSchema,
  runtimeEventKind,
} from "./event.js";
export {
  FALCO_OUTPUT_FIELDS,
  FALCO_PRIORITIES,
  FALCO_PRIORITY_SEVERITY,
  FALCO_UNKNOWN_PRIORITY_SEVERITY,
  type FalcoPriority,
  toFalcoEvent,
  toFalcoPriority,
} from "./falco.js";
export {
  canonicalJson,
  parseSensorBatch,
  SENSOR_SOURCES,
  type SensorBatch,
  type SensorSource,
  sensorEventId,
  type TruncatedEvent,
  toSensorEvent,
} from "./ingest.js";
export {
  type EventSink,
  INGEST_PATH,
  type IngestServer,
  type IngestServerOptions,
  type IngestStats,
  startIngestServer,
} from "./ingest-server.js";
export { DEFAULT_SENSOR_BATCH_LIMITS, type SensorBatchLimits } from "./json-records.js";
export { createSensorParser, type SensorParser } from "./parse-pool.js";
export { createSensorRedactor, type SensorRedactor } from "./redact.js";
export {
  splitTetragonArguments,
  TETRAGON_EVENT_TYPES,
  TETRAGON_SEVERITY,
  type TetragonEventType,
  toTetragonEvent,
} from "./tetragon.js";

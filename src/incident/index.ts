/** Public surface of incidents: correlation rules and engine, incidents, root-cause traces, alerting. */
export {
  type Alert,
  type AlertDispatcher,
  type AlertSink,
  createAlertDispatcher,
  createAlertSinks,
} from "./alerts/index.js";
export {
  type CorrelationRun,
  type Correlator,
  type CorrelatorOptions,
  createCorrelator,
  keepChange,
} from "./correlate.js";
export { createStoreDirectory, resolveImageDigest, type StoreDirectoryOptions } from "./directory.js";
export {
  getIncident,
  type HistoryEntry,
  INCIDENT_STATUSES,
  type Incident,
  type IncidentChange,
  type IncidentFilter,
  type IncidentStatus,
  incidentEventIds,
  incidentHistory,
  listIncidents,
  updateIncident,
} from "./incidents.js";
export {
  createEventIngestor,
  EVENT_BATCH_JOB,
  type EventBatchJob,
  type EventIngestor,
  type EventJobTypes,
  eventBatchJobId,
  parseEventBatchJob,
} from "./ingest.js";
export { type ImageSeverityLookup, programOf } from "./match.js";
export { incidentAlert } from "./notify.js";
export { traceDot, traceMermaid, traceTable } from "./render.js";
export {
  DurationSchema,
  loadRuleSet,
  parseRuleFile,
  type Rule,
  RuleSchema,
  type RuleSet,
  SHIPPED_RULES,
  toRuleSet,
} from "./rules.js";
export {
  type ContainerFacts,
  type McpServerFacts,
  SUBJECT_TYPES,
  type SubjectDirectory,
  type SubjectType,
  subjectsOf,
} from "./subjects.js";
export {
  describe as describeEvent,
  type IncidentTrace,
  NODE_TYPES,
  type TraceEdge,
  type TraceNode,
  traceIncident,
} from "./trace.js";

/** Public surface of the gates: the image judge, trust checks and signing, the registry gate. */

// Kubernetes admission and NetworkPolicies.
export {
  type AdmissionController,
  type AdmissionControllerOptions,
  type AdmissionImageJudgement,
  type AdmissionImageRef,
  type AdmissionOutcome,
  createAdmissionController,
  type ImageJudgeLike,
} from "./admission.js";
export {
  type AdmissionManifestOptions,
  admissionManifests,
  admissionManifestsYaml,
  CERT_MODES,
  type CertMode,
  FAILURE_POLICIES,
  type FailurePolicy,
  WEBHOOK_RULES,
} from "./admission-manifests.js";
export {
  ADMISSION_API_VERSION,
  type AdmissionRequest,
  type AdmissionReviewResponse,
  DEFAULT_REVIEW_LIMITS,
  parseAdmissionReview,
  ReviewError,
  type ReviewLimits,
  toAdmissionReview,
} from "./admission-review.js";
export { type AdmissionServer, type AdmissionServerOptions, createAdmissionServer } from "./admission-server.js";
export { createWebhookCertificates, serviceDnsNames, type WebhookCertificates } from "./admission-tls.js";
export {
  attestationTag,
  isCosignTag,
  parseDsseEnvelope,
  parseInTotoStatement,
  parsePrivateKey,
  parsePublicKey,
  parseSignatureManifest,
  parseSimpleSigningPayload,
  signatureTag,
  toProvenanceFacts,
} from "./cosign.js";
export { createGateRecorder, type GateRecorder, type GateRecorderOptions } from "./decision-recorder.js";
export {
  createGatePolicy,
  createImageJudge,
  type GatePolicy,
  type ImageJudge,
  type ImageJudgement,
  type ImageJudgeOptions,
  type ImageRef,
  type UnscannedAction,
} from "./image-verdict.js";
export {
  CLUSTER_RESOURCES,
  type ClusterListing,
  type ClusterListOptions,
  listClusterObjects,
} from "./k8s-api.js";
export {
  type ClusterInventory,
  createMemoryInventory,
  createStoreInventory,
  type LabelSelector,
  type NetworkPolicyRecord,
  selects,
  toInventoryRecord,
  type WorkloadRecord,
} from "./k8s-inventory.js";
export {
  type ContainerPlacement,
  formatSeverityCounts,
  type ImageScanStatus,
  type InventoryEntry,
  type InventoryWorkload,
  listClusterInventory,
  type PodPlacement,
  workloadByPod,
  workloadOfContainer,
} from "./k8s-lookup.js";
export { type NetpolOptions, type NetpolResult, toNetworkPolicies } from "./k8s-netpol.js";
export {
  type AiRole,
  aiRoleOf,
  isWorkloadKind,
  type PodImageRef,
  parseImageRef,
  WORKLOAD_KINDS,
} from "./k8s-objects.js";
export {
  CONTAINER_ROLES,
  CONTAINER_STATES,
  type ContainerRole,
  type ContainerState,
  imageDigestOf,
  normaliseContainerId,
  type OwnerEvidence,
  type PodContainer,
  type PodObservation,
  resolvePodOwner,
  toPodObservation,
} from "./k8s-pods.js";
export {
  CLUSTER_EDGE_KINDS,
  type ClusterImportOptions,
  type ClusterImportResult,
  type ContainerRecord,
  containerAssetId,
  recordClusterObjects,
  type SkipCount,
  scannedDigests,
} from "./k8s-record.js";
export { createRegistryGate, type RegistryGate, type RegistryGateOptions } from "./registry.js";
export { createRegistryClients, type RegistryClients } from "./registry-clients.js";
export { createGateScanner, type GateScannerOptions } from "./scan.js";
export { type ImageScanInput, toScanInput } from "./scan-input.js";
export { pushAttestation, pushSignature, type RepositoryWriter, type SignedArtifact } from "./sign.js";
export { createStoredScans, type StoredScan, type StoredScans } from "./stored-scans.js";
export {
  type CompiledTrust,
  compileTrust,
  type RepositoryReader,
  type TrustedImageRef,
  type TrustPolicy,
} from "./trust.js";

/**
 * The AdmissionReview v1 wire format (admission.k8s.io/v1, validating webhooks): parsing a
 * review the API server sent, within limits, and building the response it expects. Loose where
 * the payload is Kubernetes' (objects pass through untyped), strict on what admission acts on.
 * https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/
 */
import { z } from "zod";

export const ADMISSION_API_VERSION = "admission.k8s.io/v1";

/** Limits on a review, so a hostile or broken client cannot take unbounded memory or time. */
export interface ReviewLimits {
  /** Largest body, in bytes (the API server caps objects at ~3 MiB; a review may hold two). */
  maxBytes: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
}

export const DEFAULT_REVIEW_LIMITS: ReviewLimits = { maxBytes: 7 * 1024 * 1024, maxDepth: 64 };

export const OPERATIONS = ["CREATE", "UPDATE", "DELETE", "CONNECT"] as const;

const GroupVersionKind = z.object({ group: z.string(), version: z.string(), kind: z.string() });
const KubeObject = z.record(z.string(), z.unknown());

const AdmissionRequestSchema = z.object({
  uid: z.string().min(1).max(256),
  kind: GroupVersionKind,
  resource: z.object({ group: z.string(), version: z.string(), resource: z.string() }).optional(),
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(OPERATIONS),
  userInfo: z.object({ username: z.string().optional() }).loose().optional(),
  object: KubeObject.nullish(),
  oldObject: KubeObject.nullish(),
  dryRun: z.boolean().optional(),
});

export type AdmissionRequest = z.infer<typeof AdmissionRequestSchema>;

/** The `response` of an AdmissionReview. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string; reason?: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

/** A whole AdmissionReview answer, as the webhook writes it. */
export interface AdmissionReviewResponse {
  apiVersion: typeof ADMISSION_API_VERSION;
  kind: "AdmissionReview";
  response: AdmissionResponse;
}

/**
 * Why a review could not be judged: the HTTP status to answer with, and the request's uid when
 * it could be read (so even the error echoes it).
 */
export class ReviewError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly uid = "",
  ) {
    super(message);
    this.name = "ReviewError";
  }
}

/**
 * Parse the text of an AdmissionReview: JSON within the limits, apiVersion admission.k8s.io/v1,
 * kind AdmissionReview, and a request admission can act on. Throws ReviewError, never anything else.
 */
export function parseAdmissionReview(text: string, limits: ReviewLimits = DEFAULT_REVIEW_LIMITS): AdmissionRequest {
  if (Buffer.byteLength(text, "utf8") > limits.maxBytes)
    throw new ReviewError(413, `AdmissionReview is larger than ${limits.maxBytes} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ReviewError(400, "AdmissionReview is not valid JSON");
  }
  return toAdmissionRequest(body, limits);
}

/** Validate an already-parsed AdmissionReview body (see parseAdmissionReview). */
export function toAdmissionRequest(body: unknown, limits: ReviewLimits = DEFAULT_REVIEW_LIMITS): AdmissionRequest {
  if (!isRecord(body)) throw new ReviewError(400, "AdmissionReview must be a JSON object");
  const request = isRecord(body.request) ? body.request : undefined;
  const uid = typeof request?.uid === "string" && request.uid.length <= 256 ? request.uid : "";
  if (tooDeep(body, limits.maxDepth))
    throw new ReviewError(400, `AdmissionReview is nested deeper than ${limits.maxDepth} levels`, uid);
  if (body.kind !== "AdmissionReview")
    throw new ReviewError(400, `expected kind AdmissionReview, got ${describe(body.kind)}`, uid);
  if (body.apiVersion !== ADMISSION_API_VERSION)
    throw new ReviewError(
      400,
      `unsupported AdmissionReview version ${describe(body.apiVersion)}: this webhook speaks ${ADMISSION_API_VERSION} (set admissionReviewVersions: ["v1"])`,
      uid,
    );
  if (!request) throw new ReviewError(400, "AdmissionReview has no request", uid);
  const parsed = AdmissionRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReviewError(
      400,
      `AdmissionReview request.${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`,
      uid,
    );
  }
  return parsed.data;
}

/** Most warnings sent back, and longest each (the API server turns them into HTTP headers). */
const MAX_WARNINGS = 20;
const MAX_WARNING_CHARS = 256;
const MAX_MESSAGE_CHARS = 4096;

/** Build the AdmissionReview answer: allowed with warnings, or denied with a message and code. */
export function toAdmissionReview(response: {
  uid: string;
  allowed: boolean;
  message?: string;
  code?: number;
  warnings?: readonly string[];
  auditAnnotations?: Record<string, string>;
}): AdmissionReviewResponse {
  const warnings = (response.warnings ?? []).slice(0, MAX_WARNINGS).map((w) => clip(w, MAX_WARNING_CHARS));
  return {
    apiVersion: ADMISSION_API_VERSION,
    kind: "AdmissionReview",
    response: {
      uid: response.uid,
      allowed: response.allowed,
      ...(response.allowed
        ? {}
        : {
            status: {
              code: response.code ?? 403,
              message: clip(response.message ?? "denied", MAX_MESSAGE_CHARS),
              reason: (response.code ?? 403) === 403 ? "Forbidden" : "BadRequest",
            },
          }),
      ...(warnings.length > 0 ? { warnings } : {}),
      ...(response.auditAnnotations && Object.keys(response.auditAnnotations).length > 0
        ? { auditAnnotations: response.auditAnnotations }
        : {}),
    },
  };
}

/** The answer to a review that could not be judged: denied, with the reason and the uid when known. */
export function reviewErrorResponse(error: ReviewError): AdmissionReviewResponse {
  return toAdmissionReview({ uid: error.uid, allowed: false, code: error.status, message: error.message });
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : value === undefined ? "none" : typeof value;
}

/** Is `value` nested deeper than `max`? Iterative, so a hostile depth cannot overflow the stack. */
function tooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * What a cluster needs to run the admission webhook: the ValidatingWebhookConfiguration, the
 * Deployment and Service, the policy as a ConfigMap, and certificates (a generated self-signed
 * CA in a Secret, or cert-manager's Issuer + Certificate with its CA injected into the webhook).
 * The Deployment passes Palisade's own policy: non-root, read-only root file system, no added
 * capabilities, resource limits.
 */
import { stringify } from "yaml";
import { createWebhookCertificates, serviceDnsNames, type WebhookCertificates } from "./admission-tls.js";

export const FAILURE_POLICIES = ["Fail", "Ignore"] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];
export const CERT_MODES = ["self-signed", "cert-manager"] as const;
export type CertMode = (typeof CERT_MODES)[number];

export interface AdmissionManifestOptions {
  namespace: string;
  /** Name of the Deployment, Service, Secret and webhook configuration. */
  name: string;
  image: string;
  /** The policy file's text, shipped as a ConfigMap. */
  policy: string;
  failurePolicy: FailurePolicy;
  certs: CertMode;
  timeoutSeconds?: number;
  replicas?: number;
  /** Certificates to use in self-signed mode (generated when absent). */
  certificates?: WebhookCertificates;
}

/** The resources the webhook judges (and the ones it only records: NetworkPolicies, deletions). */
export const WEBHOOK_RULES = [
  { apiGroups: [""], resources: ["pods"] },
  { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "daemonsets", "replicasets"] },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"] },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"] },
] as const;

/** The manifests as Kubernetes objects, in the order to apply them. */
export function admissionManifests(options: AdmissionManifestOptions): Record<string, unknown>[] {
  const { namespace, name } = options;
  const labels = { "app.kubernetes.io/name": "palisade", "app.kubernetes.io/component": "admission" };
  const tlsSecret = `${name}-tls`;
  const docs: Record<string, unknown>[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `${name}-policy`, namespace, labels },
      data: { "policy.yaml": options.policy },
    },
  ];
  let caBundle: string | undefined;
  if (options.certs === "self-signed") {
    const certs = options.certificates ?? createWebhookCertificates({ names: serviceDnsNames(name, namespace) });
    caBundle = Buffer.from(certs.caCert).toString("base64");
    docs.push({
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/tls",
      metadata: { name: tlsSecret, namespace, labels },
      data: {
        "tls.crt": Buffer.from(certs.cert).toString("base64"),
        "tls.key": Buffer.from(certs.key).toString("base64"),
        "ca.crt": caBundle,
      },
    });
  } else {
    docs.push(
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Issuer",
        metadata: { name: `${name}-selfsigned`, namespace },
        spec: { selfSigned: {} },
      },
      {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name, namespace },
        spec: {
          secretName: tlsSecret,
          dnsNames: serviceDnsNames(name, namespace),
          privateKey: { algorithm: "ECDSA", size: 256, encoding: "PKCS8" },
          issuerRef: { name: `${name}-selfsigned`, kind: "Issuer" },
        },
      },
    );
  }
  docs.push(
    admissionDeployment({ ...options, labels, tlsSecret }),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: "https", port: 443, targetPort: 8443, protocol: "TCP" }] },
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: {
        name,
        labels,
        ...(options.certs === "cert-manager"
          ? { annotations: { "cert-manager.io/inject-ca-from": `${namespace}/${name}` } }
          : {}),
      },
      webhooks: [
        {
          name: "workloads.admission.palisade.dev",
          admissionReviewVersions: ["v1"],
          // The webhook records admitted workloads in its inventory, never on a dry run.
          sideEffects: "NoneOnDryRun",
          failurePolicy: options.failurePolicy,
          timeoutSeconds: options.timeoutSeconds ?? 5,
          matchPolicy: "Equivalent",
          // Never judge the control plane or the webhook's own pods (a Fail policy would lock them out).
          namespaceSelector: {
            matchExpressions: [
              { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", namespace] },
            ],
          },
          rules: WEBHOOK_RULES.map((r) => ({
            apiGroups: [...r.apiGroups],
            apiVersions: ["v1"],
            operations: ["CREATE", "UPDATE", "DELETE"],
            resources: [...r.resources],
            scope: "Namespaced",
          })),
          clientConfig: {
            service: { name, namespace, path: "/validate", port: 443 },
            ...(caBundle ? { caBundle } : {}),
          },
        },
      ],
    },
  );
  return docs;
}

/** The manifests as one multi-document YAML text. */
export function admissionManifestsYaml(options: AdmissionManifestOptions): string {
  return admissionManifests(options)
    .map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}

function admissionDeployment(
  options: AdmissionManifestOptions & { labels: Record<string, string>; tlsSecret: string },
): Record<string, unknown> {
  const { name, namespace, labels } = options;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            fsGroup: 65532,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "admission",
              image: options.image,
              args: [
                "gate",
                "admission",
                "--listen",
                "0.0.0.0:8443",
                "--tls-cert",
                "/etc/palisade/tls/tls.crt",
                "--tls-key",
                "/etc/palisade/tls/tls.key",
                "--policy",
                "/etc/palisade/policy/policy.yaml",
              ],
              env: [{ name: "PALISADE_DATABASE_URL", value: "/var/lib/palisade/palisade.db" }],
              ports: [{ name: "https", containerPort: 8443 }],
              securityContext: {
                runAsNonRoot: true,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
              },
              resources: {
                requests: { cpu: "100m", memory: "128Mi" },
                limits: { cpu: "1", memory: "512Mi" },
              },
              readinessProbe: { httpGet: { path: "/readyz", port: 8443, scheme: "HTTPS" }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: "/healthz", port: 8443, scheme: "HTTPS" }, periodSeconds: 10 },
              volumeMounts: [
                { name: "tls", mountPath: "/etc/palisade/tls", readOnly: true },
                { name: "policy", mountPath: "/etc/palisade/policy", readOnly: true },
                { name: "data", mountPath: "/var/lib/palisade" },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "tls", secret: { secretName: options.tlsSecret } },
            { name: "policy", configMap: { name: `${name}-policy` } },
            { name: "data", emptyDir: {} },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

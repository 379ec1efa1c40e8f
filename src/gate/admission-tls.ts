/**
 * Certificates for the webhook: a self-signed CA (its certificate becomes the webhook's
 * caBundle) and a serving certificate for the Service's DNS names, made with `openssl` (Node has
 * no X.509 writer). For clusters with cert-manager, the manifests use its CA injector instead.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PalisadeError } from "../core/index.js";

export interface WebhookCertificates {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/** The DNS names the API server uses to reach a Service (it dials `SERVICE.NAMESPACE.svc`). */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

/**
 * A CA and a serving certificate (ECDSA P-256) for `names` (DNS names; IP addresses allowed),
 * valid for `days`. Throws `internal` when openssl is missing or fails.
 */
export function createWebhookCertificates(options: { names: readonly string[]; days?: number }): WebhookCertificates {
  const days = String(options.days ?? 825);
  const dir = mkdtempSync(join(tmpdir(), "palisade-certs-"));
  const run = (args: string[]) => {
    try {
      execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
    } catch (error) {
      throw new PalisadeError("internal", `openssl ${args[0]} failed: is openssl installed?`, { cause: error });
    }
  };
  try {
    const san = options.names.map((n) => (/^[0-9.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
    writeFileSync(
      join(dir, "ext.cnf"),
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
    );
    run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"]);
    run([
      "req",
      "-x509",
      "-new",
      "-key",
      "ca.key",
      "-sha256",
      "-days",
      days,
      "-subj",
      "/CN=palisade-admission-ca",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-out",
      "ca.crt",
    ]);
    run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "tls.key"]);
    run([
      "req",
      "-new",
      "-key",
      "tls.key",
      "-subj",
      `/CN=${options.names[0] ?? "palisade-admission"}`,
      "-out",
      "tls.csr",
    ]);
    run([
      "x509",
      "-req",
      "-in",
      "tls.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      days,
      "-sha256",
      "-extfile",
      "ext.cnf",
      "-out",
      "tls.crt",
    ]);
    // openssl writes SEC1 keys; PKCS#8 is what every TLS stack and Kubernetes secret expects.
    run(["pkcs8", "-topk8", "-nocrypt", "-in", "tls.key", "-out", "tls.pk8"]);
    run(["pkcs8", "-topk8", "-nocrypt", "-in", "ca.key", "-out", "ca.pk8"]);
    const read = (name: string) => readFileSync(join(dir, name), "utf8");
    return { caCert: read("ca.crt"), caKey: read("ca.pk8"), cert: read("tls.crt"), key: read("tls.pk8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

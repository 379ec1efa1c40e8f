/**
 * `palisade sign image REF --key KEY.pem [--attest provenance.json]`: sign an image digest the
 * way cosign does (a `sha256-HEX.sig` entry in its repository), and optionally attest a SLSA
 * provenance (`sha256-HEX.att`), so the gates' trust rules can be tried without cosign.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { PalisadeError } from "../../core/index.js";
import type { SignedArtifact } from "../../gate/index.js";
import { formatOption, withExamples } from "../command-helpers.js";
import { registryCredentials } from "../image-jobs.js";
import { createOutput, renderTable } from "../output.js";

interface SignFlags {
  key: string;
  attest?: string;
  predicateType: string;
  insecure?: boolean;
  format: string;
}

const MAX_ATTESTATION_BYTES = 512 * 1024;

function readInput(path: string, what: string, limit: number): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new PalisadeError(
      "bad-input",
      `cannot read ${what} ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      {
        input: path,
        cause,
      },
    );
  }
  if (Buffer.byteLength(text) > limit)
    throw new PalisadeError("bad-input", `${path}: ${what} larger than ${limit} bytes`, { input: path });
  return text;
}

export function registerSign(program: Command): Command {
  const existing = program.commands.find((c) => c.name() === "sign");
  const sign = existing ?? program.command("sign").description("sign artefacts so the gates' trust rules accept them");
  const command = sign
    .command("image")
    .description("sign an image digest (cosign-compatible .sig) and optionally attest its SLSA provenance (.att)")
    .argument("<reference>", "HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST] (a tag is resolved to its digest now)")
    .requiredOption("-k, --key <file>", "private key, PEM (ECDSA P-256 or Ed25519, unencrypted)")
    .option("--attest <file>", "also attest this SLSA provenance predicate (or in-toto statement), JSON")
    .option("--predicate-type <uri>", "predicate type of --attest", "https://slsa.dev/provenance/v1")
    .option("--insecure", "plain HTTP and unverified TLS (a registry on this machine)")
    .addOption(formatOption())
    .action(async (text: string, flags: SignFlags) => {
      const [{ parsePrivateKey, pushAttestation, pushSignature }, { parseRegistryReference, RegistryClient }] =
        await Promise.all([import("../../gate/index.js"), import("../../scan/image/index.js")]);
      const key = parsePrivateKey(readInput(flags.key, "key", 64 * 1024), flags.key);
      let attestation: unknown;
      if (flags.attest) {
        try {
          attestation = JSON.parse(readInput(flags.attest, "attestation", MAX_ATTESTATION_BYTES));
        } catch (cause) {
          if (cause instanceof PalisadeError) throw cause;
          throw new PalisadeError("bad-input", `${flags.attest}: not JSON`, { input: flags.attest, cause });
        }
      }
      const ref = parseRegistryReference(text.replace(/^(?:registry|docker):\/*/, ""));
      const client = new RegistryClient(ref, {
        ...(flags.insecure ? { insecure: true } : {}),
        ...registryCredentials(),
      });
      try {
        const digest = ref.digest ?? (await client.manifest(ref.tag ?? "latest")).digest;
        const image = { reference: `${ref.registry}/${ref.repository}`, digest };
        const pushed: (SignedArtifact & { kind: string })[] = [
          { kind: "signature", ...(await pushSignature(client, image, key)) },
        ];
        if (attestation !== undefined)
          pushed.push({
            kind: "attestation",
            ...(await pushAttestation(client, image, key, attestation, flags.predicateType)),
          });
        const out = createOutput();
        if (flags.format === "json")
          out.json({ image: `${image.reference}@${digest}`, keyType: key.asymmetricKeyType, pushed });
        else {
          out.text(
            `signed ${image.reference}@${digest} (${key.asymmetricKeyType === "ec" ? "ECDSA P-256" : "Ed25519"})`,
          );
          out.text(
            renderTable(
              ["KIND", "TAG", "ENTRIES"],
              pushed.map((p) => [p.kind, p.tag, p.layers]),
            ),
          );
        }
      } finally {
        await client.close();
      }
    });
  const examples = [
    "palisade sign image 127.0.0.1:5000/team/app:1.0 --key cosign.key.pem --insecure",
    "palisade sign image registry.acme.internal/prod/api@sha256:0123... --key ci.pem --attest provenance.json",
  ];
  withExamples(command, examples);
  // The group made here shows them too (every command's help has examples).
  if (!existing) withExamples(sign, examples);
  return command;
}

/**
 * Public surface of the output writers: SARIF 2.1.0, SPDX 2.3 for image scans, and the rule help
 * (what a finding means, how to fix it) that every format shows. CycloneDX comes with the scanners.
 */
export { toStableFingerprints } from "./fingerprint.js";
export { RULE_HELP, type RuleHelp, remediationOf, withRemediation } from "./rule-help.js";
export { type SarifOptions, SRCROOT, toSarif } from "./sarif.js";
export { type SpdxOptions, toSpdx } from "./spdx.js";

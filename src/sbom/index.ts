/** Public surface of the output writers: SARIF 2.1.0 (CycloneDX and SPDX come with the scanners). */
export { type SarifOptions, toSarif } from "./sarif.js";

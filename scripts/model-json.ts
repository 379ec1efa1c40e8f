/**
 * A model file as text, laid out as the repository's formatter (Biome) lays out JSON, so a
 * retrain that changes nothing shows no diff. Shared by both injection training scripts.
 */
import type { InjectionModelFile } from "../src/detect/injection/model.js";

export function modelFileJson(file: InjectionModelFile): string {
  const f = file.features;
  const features = `{ "dims": ${f.dims}, "charNgrams": [${f.charNgrams.join(", ")}], "wordBigrams": ${f.wordBigrams}, "minNorm": ${f.minNorm} }`;
  return `${JSON.stringify({ ...file, features: "@FEATURES@" }, null, 2).replace('"@FEATURES@"', features)}\n`;
}

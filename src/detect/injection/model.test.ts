import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_FEATURE_CONFIG } from "./features.js";
import {
  createInjectionClassifier,
  type LinearModel,
  lengthOffset,
  parseInjectionModel,
  toInjectionModelFile,
} from "./model.js";

const features = { ...DEFAULT_FEATURE_CONFIG, dims: 1 << 8 };
const weights = Float32Array.from({ length: features.dims }, (_, i) => ((i % 7) - 3) / 10);

describe("length bands of the user-mode model", () => {
  it("pick the offset of the band a length falls in", () => {
    const bands = { below: [200, 1000], bias: [0.5, -1, -2] };
    assert.equal(lengthOffset(undefined, 50), 0);
    assert.equal(lengthOffset(bands, 0), 0.5);
    assert.equal(lengthOffset(bands, 199), 0.5);
    assert.equal(lengthOffset(bands, 200), -1);
    assert.equal(lengthOffset(bands, 999), -1);
    assert.equal(lengthOffset(bands, 1000), -2);
    assert.equal(lengthOffset(bands, 50_000), -2);
  });

  it("survive the model file and shift the logit by the text's band", () => {
    const model: LinearModel = { features, bias: -0.25, weights, lengthBias: { below: [10], bias: [1.5, -0.5] } };
    const loaded = parseInjectionModel(toInjectionModelFile(model), "test.json");
    assert.deepEqual(loaded.lengthBias, model.lengthBias);
    const banded = createInjectionClassifier(loaded);
    const plain = createInjectionClassifier({ features, bias: -0.25, weights: loaded.weights });
    const short = "ignore it";
    const long = "ignore the earlier draft and summarise the report";
    assert.ok(Math.abs(banded.logit(short) - plain.logit(short) - 1.5) < 1e-9);
    assert.ok(Math.abs(banded.logit(long) - plain.logit(long) + 0.5) < 1e-9);
    assert.ok(Math.abs(banded.predictRange(long, 0, 9) - banded.predict(long.slice(0, 9))) < 1e-12);
  });

  it("are refused when there is not one more offset than bounds", () => {
    const file = { ...toInjectionModelFile({ features, bias: 0, weights }), lengthBias: { below: [200], bias: [0] } };
    assert.throws(() => parseInjectionModel(file, "bad.json"), /lengthBias/);
  });
});

/**
 * A tiny ONNX sequence classifier and its tokenizer.json, built by the tests themselves (no model
 * is downloaded or shipped). It has the interface of a Hugging Face text classifier exported to
 * ONNX (Prompt Guard 2, deberta injection classifiers): `input_ids` and `attention_mask` (int64,
 * `[batch, sequence]`) in, `logits` (float, `[batch, 2]`) out, label 1 the attack class.
 *
 * The graph: Gather(embedding, input_ids) → × mask → ReduceMean over the sequence → MatMul → Add.
 * Each token's embedding is `[1, 0]` (benign evidence) except the trigger words', `[0, 20]`, so
 * one trigger in a short text makes the injection probability high and no trigger leaves it at
 * ~0.27. The ModelProto is written with protobufjs from the field numbers of onnx/onnx.proto.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";

/** The subset of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) this needs. */
const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: "int64", id: 1 },
            producerName: { type: "string", id: 2 },
            graph: { type: "GraphProto", id: 7 },
            opsetImport: { rule: "repeated", type: "OperatorSetIdProto", id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: "string", id: 1 }, version: { type: "int64", id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: "repeated", type: "NodeProto", id: 1 },
            name: { type: "string", id: 2 },
            initializer: { rule: "repeated", type: "TensorProto", id: 5 },
            input: { rule: "repeated", type: "ValueInfoProto", id: 11 },
            output: { rule: "repeated", type: "ValueInfoProto", id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: "repeated", type: "string", id: 1 },
            output: { rule: "repeated", type: "string", id: 2 },
            name: { type: "string", id: 3 },
            opType: { type: "string", id: 4 },
            attribute: { rule: "repeated", type: "AttributeProto", id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: "string", id: 1 },
            i: { type: "int64", id: 3 },
            ints: { rule: "repeated", type: "int64", id: 8 },
            type: { type: "int32", id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: "repeated", type: "int64", id: 1 },
            dataType: { type: "int32", id: 2 },
            floatData: { rule: "repeated", type: "float", id: 4 },
            int64Data: { rule: "repeated", type: "int64", id: 7 },
            name: { type: "string", id: 8 },
          },
        },
        ValueInfoProto: { fields: { name: { type: "string", id: 1 }, type: { type: "TypeProto", id: 2 } } },
        TypeProto: {
          fields: { tensorType: { type: "Tensor", id: 1 } },
          nested: {
            Tensor: { fields: { elemType: { type: "int32", id: 1 }, shape: { type: "TensorShapeProto", id: 2 } } },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: "repeated", type: "Dimension", id: 1 } },
          nested: {
            Dimension: { fields: { dimValue: { type: "int64", id: 1 }, dimParam: { type: "string", id: 2 } } },
          },
        },
      },
    },
  },
};

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** The vocabulary of the tiny tokenizer; the trigger words carry the injection evidence. */
export const TINY_VOCAB = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "please",
  "summarise",
  "this",
  "the",
  "report",
  "email",
  "and",
  "a",
  "of",
  "hello",
  "override",
  "exfiltrate",
] as const;

/** Words whose embedding pushes the logits towards label 1. */
export const TINY_TRIGGERS = ["override", "exfiltrate"] as const;

export interface TinyClassifierFiles {
  dir: string;
  model: string;
  tokenizer: string;
  config: string;
}

export interface TinyClassifierOptions {
  /** `id2label` of config.json; default `{0: "SAFE", 1: "INJECTION"}`. Null: write no config.json. */
  id2label?: Record<string, string> | null;
  /** `max_position_embeddings` in config.json (the classifier reads its length limit from it). */
  maxPositions?: number;
}

/** The ModelProto bytes of the tiny classifier. */
export function toTinyOnnxModel(): Uint8Array {
  const root = protobuf.Root.fromJSON(ONNX_SCHEMA);
  const ModelProto = root.lookupType("onnx.ModelProto");
  const vocab = TINY_VOCAB.length;
  const embedding: number[] = [];
  for (const word of TINY_VOCAB) {
    const trigger = (TINY_TRIGGERS as readonly string[]).includes(word);
    embedding.push(trigger ? 0 : 1, trigger ? 20 : 0);
  }
  const tensorType = (elemType: number, dims: (number | string)[]) => ({
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
    },
  });
  const message = ModelProto.fromObject({
    irVersion: 8,
    producerName: "palisade-tests",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "tiny-injection-classifier",
      node: [
        { opType: "Gather", input: ["embedding", "input_ids"], output: ["embedded"], name: "gather" },
        {
          opType: "Cast",
          input: ["attention_mask"],
          output: ["mask_f"],
          name: "cast",
          attribute: [{ name: "to", i: FLOAT, type: ATTRIBUTE_INT }],
        },
        { opType: "Unsqueeze", input: ["mask_f", "axis_2"], output: ["mask_3d"], name: "unsqueeze" },
        { opType: "Mul", input: ["embedded", "mask_3d"], output: ["masked"], name: "mask" },
        {
          opType: "ReduceMean",
          input: ["masked"],
          output: ["pooled"],
          name: "pool",
          attribute: [
            { name: "axes", ints: [1], type: ATTRIBUTE_INTS },
            { name: "keepdims", i: 0, type: ATTRIBUTE_INT },
          ],
        },
        { opType: "MatMul", input: ["pooled", "weight"], output: ["projected"], name: "matmul" },
        { opType: "Add", input: ["projected", "bias"], output: ["logits"], name: "add" },
      ],
      initializer: [
        { name: "embedding", dataType: FLOAT, dims: [vocab, 2], floatData: embedding },
        { name: "axis_2", dataType: INT64, dims: [1], int64Data: [2] },
        { name: "weight", dataType: FLOAT, dims: [2, 2], floatData: [1, 0, 0, 1] },
        { name: "bias", dataType: FLOAT, dims: [2], floatData: [0, 0] },
      ],
      input: [
        { name: "input_ids", type: tensorType(INT64, ["batch", "sequence"]) },
        { name: "attention_mask", type: tensorType(INT64, ["batch", "sequence"]) },
      ],
      output: [{ name: "logits", type: tensorType(FLOAT, ["batch", 2]) }],
    },
  });
  return ModelProto.encode(message).finish();
}

/** A BERT-style `[CLS] A [SEP]` post-processor (ids 2 and 3), with the `A [SEP] B [SEP]` pair form or none. */
export function clsSepTemplate(options: { pair: boolean }): object {
  const single = [
    { SpecialToken: { id: "[CLS]", type_id: 0 } },
    { Sequence: { id: "A", type_id: 0 } },
    { SpecialToken: { id: "[SEP]", type_id: 0 } },
  ];
  return {
    type: "TemplateProcessing",
    single,
    pair: options.pair
      ? [...single, { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } }]
      : [],
    special_tokens: {
      "[CLS]": { id: "[CLS]", ids: [2], tokens: ["[CLS]"] },
      "[SEP]": { id: "[SEP]", ids: [3], tokens: ["[SEP]"] },
    },
  };
}

/** A WordPiece tokenizer.json (BERT-style: lower-cased, `[CLS] ... [SEP]`) over TINY_VOCAB. */
export function toTinyTokenizerJson(): object {
  const vocab = Object.fromEntries(TINY_VOCAB.map((word, id) => [word, id]));
  const special = (content: string) => ({
    id: TINY_VOCAB.indexOf(content as (typeof TINY_VOCAB)[number]),
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"].map(special),
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: clsSepTemplate({ pair: true }),
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** Write model.onnx, tokenizer.json and (unless asked not to) config.json into `dir`. */
export function writeTinyClassifier(dir: string, options: TinyClassifierOptions = {}): TinyClassifierFiles {
  mkdirSync(dir, { recursive: true });
  const files: TinyClassifierFiles = {
    dir,
    model: join(dir, "model.onnx"),
    tokenizer: join(dir, "tokenizer.json"),
    config: join(dir, "config.json"),
  };
  writeFileSync(files.model, toTinyOnnxModel());
  writeFileSync(files.tokenizer, JSON.stringify(toTinyTokenizerJson()));
  if (options.id2label !== null) {
    writeFileSync(
      files.config,
      JSON.stringify({
        architectures: ["TinyForSequenceClassification"],
        id2label: options.id2label ?? { 0: "SAFE", 1: "INJECTION" },
        max_position_embeddings: options.maxPositions ?? 512,
      }),
    );
  }
  return files;
}

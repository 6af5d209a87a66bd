// Every image model layout classify feeds: [1,H,W,3] with H ≠ W, [1,H,W,1] grayscale and
// channel-first [1,3,H,W]; uint8, int8 and float32 (normalisation from the options, the model's
// TFLite metadata or the default). shared/thirdparty's image models were given exactly
// classify's preprocessing of grace_hopper.bmp, cat.bmp and bird.bmp as samples 0–2 (its
// README, "How the inputs were made"): imageToInput must reproduce those bytes.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Builder } from "flatbuffers";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { classify, type ImageModel, imageToInput, imageInputSize, inputNormalization } from "../js/classify.js";
import { imageToInputAsync, preprocessImageAsync } from "../js/classify-async.js";
import { InputError, Model, ModelError, evaluate, inspectModel } from "../js/index.js";
import { preprocessImage, quantizeInput } from "../js/preprocess/index.js";
import { metadataNormalization } from "../js/tflite/metadata.js";
import { readModel } from "../js/tflite/read.js";
import { writeModel } from "../js/tflite/write.js";
import { dataPath, readData } from "./data.js";
import { makeBmp as writeBmp } from "./image-builder.js";
import { floatClassifierDef } from "./float-model.js";

const PHOTOS = ["grace_hopper.bmp", "cat.bmp", "bird.bmp"];

/** A 24-bit BMP of width × height whose pixel (x, y) is rgb(x, y). */
function makeBmp(width: number, height: number, rgb: (x: number, y: number) => number[]): Uint8Array {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(rgb(x, y), 3 * (y * width + x));
  return writeBmp({ image: { width, height, data }, bitCount: 24 });
}
/** The float pixel maps of the thirdparty JSONs as mean and std. */
const PIXEL_MAPS: Record<string, { mean: number[]; std: number[] } | undefined> = {
  pm1: undefined, // (p − 127.5) / 127.5: the default (or the model's metadata)
  unit: { mean: [0], std: [255] },
  raw: { mean: [0], std: [1] },
};

/** A model's image input as imageToInput sees it, from the file alone (the model need not load). */
function imageModelOf(bytes: Uint8Array): ImageModel {
  const def = readModel(bytes);
  const sg = def.subgraphs[0];
  // Input 0 only: traffic_model's other two inputs are LSTM states.
  const inputs = sg.inputs.slice(0, 1).map((index) => {
    const t = sg.tensors[index];
    return { index, name: t.name, dtype: t.type, shape: t.shape, scale: t.quantization?.scale[0] ?? 0, zeroPoint: t.quantization?.zeroPoint[0] ?? 0 };
  });
  return { inputs, inputNormalization: metadataNormalization(def).normalization };
}

const thirdparty = dataPath("thirdparty");
const imageModels: { json: string; spec: { input_generation: Record<string, unknown>; sample_input_bytes: number } }[] = [];
if (thirdparty !== null) {
  for (const folder of readdirSync(thirdparty, { withFileTypes: true })) {
    if (!folder.isDirectory() || folder.name === "invalid") continue;
    for (const name of readdirSync(join(thirdparty, folder.name))) {
      if (!name.endsWith(".json")) continue;
      const json = join(thirdparty, folder.name, name);
      const spec = JSON.parse(readFileSync(json, "utf8"));
      if (String(spec.input_generation?.mode).startsWith("image")) imageModels.push({ json, spec });
    }
  }
}

test("thirdparty: every image model's samples 0–2 are imageToInput of the three photos", async () => {
  if (thirdparty === null) return;
  assert.ok(imageModels.length >= 20, `${imageModels.length} image models`);
  const layouts = new Set<string>();
  for (const { json, spec } of imageModels) {
    const base = json.slice(0, -".json".length);
    const model = imageModelOf(new Uint8Array(readFileSync(`${base}.tflite`)));
    const inputs = new Uint8Array(readFileSync(`${base}.inputs.bin`));
    const g = spec.input_generation as { layout: string; channels: number; width: number; height: number; pixel_map: string };
    const layout = imageInputSize(model);
    assert.equal([layout.layout, layout.channels, layout.width, layout.height], [g.layout, g.channels, g.width, g.height], base);
    layouts.add(`${layout.layout}/${layout.channels}/${layout.dtype}`);
    const options = PIXEL_MAPS[g.pixel_map] ?? {};
    for (let s = 0; s < PHOTOS.length; s++) {
      const photo = readData(`images/samples/${PHOTOS[s]}`)!;
      const input = imageToInput(model, photo, options);
      const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      const expected = inputs.subarray(s * spec.sample_input_bytes, s * spec.sample_input_bytes + bytes.length);
      assert.ok(bytes.length <= spec.sample_input_bytes, `${base}: ${bytes.length} bytes`);
      if (!bytes.every((v, i) => v === expected[i])) assert.unreachable(`${base} sample ${s} (${PHOTOS[s]}) differs`);
    }
  }
  for (const kind of ["NHWC/3/uint8", "NHWC/3/int8", "NHWC/3/float32", "NHWC/1/int8", "NCHW/3/int8"]) assert.ok(layouts.has(kind), kind);
});

test("thirdparty: the async path gives the same bytes (grayscale and NCHW)", async () => {
  if (thirdparty === null) return;
  const photo = readData("images/samples/cat.bmp")!;
  for (const name of ["derived/person_detect_qdim0", "tflite-micro/mobilenet_v2_quantized_1x3x224x224", "mlcommons-tiny/vww_96_float"]) {
    const model = imageModelOf(new Uint8Array(readFileSync(join(thirdparty, `${name}.tflite`))));
    const options = name.includes("float") ? { mean: [0], std: [255] } : {};
    assert.equal(await imageToInputAsync(model, photo, options), imageToInput(model, photo, options), name);
  }
});

test("preprocessImage: gray = (299 R + 587 G + 114 B + 500) // 1000; NCHW = channel planes", async () => {
  const pixels = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30], [1, 1, 2], [255, 255, 255]];
  const bmp = makeBmp(3, 2, (x, y) => pixels[y * 3 + x]);
  const options = { width: 3, height: 2, crop: 1 };
  const rgb = preprocessImage(bmp, options);
  assert.equal([...rgb], pixels.flat());
  const gray = pixels.map(([r, g, b]) => Math.floor((299 * r + 587 * g + 114 * b + 500) / 1000));
  assert.equal(gray, [76, 150, 29, 18, 1, 255]);
  assert.equal([...preprocessImage(bmp, { ...options, channels: 1 })], gray);
  assert.equal([...preprocessImage(bmp, { ...options, channels: 1, layout: "NCHW" })], gray);
  assert.equal([...preprocessImage(bmp, { ...options, layout: "NCHW" })], [0, 1, 2].flatMap((c) => pixels.map((p) => p[c])));
  assert.equal(await preprocessImageAsync(bmp, { ...options, layout: "NCHW" }), preprocessImage(bmp, { ...options, layout: "NCHW" }));
  assert.throws(() => preprocessImage(bmp, { ...options, channels: 2 as 3 }), (e: unknown) => e instanceof InputError);
  assert.throws(() => preprocessImage(bmp, { ...options, layout: "CHW" as "NCHW" }), (e: unknown) => e instanceof InputError);
});

test("quantizeInput: per-channel mean and std follow the layout", () => {
  const planes = new Uint8Array([10, 20, 30, 40, 50, 60]); // NCHW, 3 channels of 2 pixels
  const target = { dtype: "float32" as const, scale: 0, zeroPoint: 0, mean: [0, 10, 20], std: [1, 2, 4], layout: "NCHW" as const };
  assert.equal([...quantizeInput(planes, target)], [10, 20, 10, 15, 7.5, 10]);
  assert.equal([...quantizeInput(planes, { ...target, layout: "NHWC" })], [10, 5, 2.5, 40, 20, 10]);
  assert.equal([...quantizeInput(new Uint8Array([0, 255]), { dtype: "float32", scale: 0, zeroPoint: 0, mean: [0], std: [255], channels: 1 })], [0, 1]);
  assert.throws(() => quantizeInput(planes, { ...target, channels: 1 }), /mean needs 1 value for a 1-channel input, got 3/);
  assert.throws(() => quantizeInput(planes, { ...target, std: [1, 0, 1] }), /std must not be 0/);
});

test("imageInputSize: H ≠ W, grayscale, channel-first; other shapes are an InputError", () => {
  const info = (shape: number[], dtype = "uint8") => ({ inputs: [{ index: 0, name: "x", dtype, shape, scale: 1, zeroPoint: 0 }] }) as never;
  assert.equal(imageInputSize(info([1, 120, 160, 3])), { width: 160, height: 120, channels: 3, layout: "NHWC", dtype: "uint8" });
  assert.equal(imageInputSize(info([1, 96, 64, 1], "int8")), { width: 64, height: 96, channels: 1, layout: "NHWC", dtype: "int8" });
  assert.equal(imageInputSize(info([1, 3, 32, 48], "float32")), { width: 48, height: 32, channels: 3, layout: "NCHW", dtype: "float32" });
  assert.equal(imageInputSize(info([1, 1, 28, 28])), { width: 28, height: 28, channels: 1, layout: "NCHW", dtype: "uint8" });
  for (const shape of [[1, 224, 224, 4], [2, 224, 224, 3], [224, 224, 3], [1, 5, 7, 9]]) assert.throws(() => imageInputSize(info(shape)), (e: unknown) => e instanceof InputError);
  assert.throws(() => imageInputSize(info([1, 8, 8, 3], "int16")), /cannot feed an input of type int16/);
});

// ---------------------------------------------------------------------------------------
// TFLite metadata (metadata_schema.fbs): ModelMetadata.subgraph_metadata (3) → SubGraphMetadata
// .input_tensor_metadata (2) → TensorMetadata.process_units (4) → ProcessUnit.options (type 1:
// NormalizationOptions: mean 0, std 1).

function metadataBytes(mean: number[], std: number[]): Uint8Array {
  const b = new Builder(256);
  const floats = (values: number[]) => {
    b.startVector(4, values.length, 4);
    for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]);
    return b.endVector();
  };
  const tables = (offsets: number[]) => {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
    return b.endVector();
  };
  const meanAt = floats(mean);
  const stdAt = floats(std);
  b.startObject(2);
  b.addFieldOffset(0, meanAt, 0);
  b.addFieldOffset(1, stdAt, 0);
  const normalization = b.endObject();
  b.startObject(2);
  b.addFieldInt8(0, 1, 0);
  b.addFieldOffset(1, normalization, 0);
  const unit = b.endObject();
  const units = tables([unit]);
  b.startObject(5);
  b.addFieldOffset(4, units, 0);
  const tensor = b.endObject();
  const tensorsAt = tables([tensor]);
  b.startObject(3);
  b.addFieldOffset(2, tensorsAt, 0);
  const subgraph = b.endObject();
  const subgraphs = tables([subgraph]);
  b.startObject(4);
  b.addFieldOffset(3, subgraphs, 0);
  b.finish(b.endObject(), "M001");
  return b.asUint8Array();
}

function withMetadata(bytes: Uint8Array): Uint8Array {
  const def = floatClassifierDef({ size: 16 });
  def.buffers.push(bytes);
  def.metadata.push({ name: "TFLITE_METADATA", buffer: def.buffers.length - 1 });
  return writeModel(def);
}

test("metadata: NormalizationOptions of input 0 set a float model's normalisation; options override it", async () => {
  const file = withMetadata(metadataBytes([0], [255]));
  const model = await Model.load(file);
  assert.equal(model.inputNormalization, { mean: [0], std: [255] });
  const photo = makeBmp(20, 20, (x, y) => [x * 12, y * 12, 100]);
  const input = imageToInput(model, photo) as Float32Array;
  const pixels = preprocessImage(photo, { width: 16, height: 16 });
  assert.equal(input, Float32Array.from(pixels, (p) => p / 255));
  assert.equal(imageToInput(model, photo, { mean: [127.5], std: [127.5] }), Float32Array.from(pixels, (p) => (p - 127.5) / 127.5));
  assert.equal(inputNormalization(model.inputNormalization, { std: [2] }), { mean: [0], std: [2], meanSource: "metadata", stdSource: "options" });
  assert.equal(inputNormalization(null), { mean: [127.5], std: [127.5], meanSource: "default", stdSource: "default" });
  assert.ok(classify(model, photo).length > 0);
  const summary = inspectModel(file);
  assert.equal(summary.imageInput?.normalization, { mean: [0], std: [255], source: "TFLite metadata" });
});

test("metadata: per-channel values; broken or unusable metadata is ignored and said why", async () => {
  assert.equal(metadataNormalization(readModel(withMetadata(metadataBytes([1, 2, 3], [4, 5, 6])))).normalization, { mean: [1, 2, 3], std: [4, 5, 6] });
  const bad = [metadataBytes([0], [0]), metadataBytes([], [1]), metadataBytes([0, 0, 0, 0, 0], [1]), metadataBytes([NaN], [1]), new Uint8Array([1, 2, 3]), metadataBytes([0], [1]).subarray(0, 40)];
  for (const bytes of bad) {
    const file = withMetadata(bytes);
    const { normalization, problem } = metadataNormalization(readModel(file));
    assert.is(normalization, null);
    assert.ok(problem !== null && problem.length < 300, String(problem));
    const model = await Model.load(file);
    assert.is(model.inputNormalization, null);
    assert.match(inspectModel(file).imageInput?.normalization?.source ?? "", /default/);
  }
});

test("metadata: corrupted bytes never throw and never hang", () => {
  const good = metadataBytes([127.5, 127.5, 127.5], [127.5, 127.5, 127.5]);
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 8;
  for (let k = 0; k < 500; k++) {
    const bytes = good.slice();
    for (let flips = 1 + (next() % 4); flips > 0; flips--) bytes[next() % bytes.length] = next() & 255;
    const { normalization, problem } = metadataNormalization(readModel(withMetadata(bytes)));
    if (normalization !== null) assert.ok([1, 3].includes(normalization.mean.length) && normalization.std.every((v) => v !== 0 && Number.isFinite(v)));
    if (problem !== null) assert.ok(problem.length < 300);
  }
});

test("metadata: the real files' NormalizationOptions are read (coral, tflite-support)", () => {
  const expect: [string, number[] | null][] = [
    ["thirdparty/coral-test_data/mobilenet_v1_0.25_128_quant.tflite", [127.5]],
    ["thirdparty/tflite-support/automl_labeler_model.tflite", [0]],
    ["thirdparty/tflite-support/mobilenet_v1_0.25_224_quant_without_subgraph_metadata.tflite", null],
    ["models/tf2_mobilenet_v2_1.0_224_ptq.tflite", [127.5]],
  ];
  for (const [file, mean] of expect) {
    const bytes = readData(file);
    if (bytes === null) continue;
    const { normalization, problem } = metadataNormalization(readModel(bytes));
    assert.is(problem, null);
    assert.equal(normalization?.mean ?? null, mean, file);
  }
});

test("ModelError for unsupported models lists every problem, briefly; inspect shows what the file alone tells", async () => {
  if (thirdparty === null) return;
  for (const [name, pattern, fromFile] of [
    ["tflite-micro/trained_lstm", /UNIDIRECTIONAL_SEQUENCE_LSTM.*sequence ops are not supported/, true],
    ["mlcommons-tiny/kws_ref_model_float32", /dynamic-range \(hybrid\) CONV_2D is not supported \(operators 0, 2 and 3 more\)/, false],
    ["tflite-micro/seanet_conv0", /int16 activations are not supported/, false],
    ["tflite-support/yamnet_audio_classifier_with_metadata", /not implemented: LOG; RFFT2D: complex numbers are not supported.*complex64 tensors are not supported/, true],
    ["coral-test_data/movenet_single_pose_lightning_ptq", /not implemented: CAST ×5, SUB ×6/, true],
  ] as const) {
    const bytes = new Uint8Array(readFileSync(join(thirdparty, `${name}.tflite`)));
    try {
      await Model.load(bytes);
      continue; // supported by now
    } catch (e) {
      assert.instance(e, ModelError);
      const error = e as ModelError;
      assert.match(error.message, pattern, name);
      assert.ok(error.message.length <= 400, `${name}: ${error.message.length} characters`);
      assert.ok(error.problems.length >= 1 && error.problems.length <= 51, name);
    }
    assert.is(inspectModel(bytes).problems.length > 0, fromFile, name);
  }
});

test("a model with thousands of problems still gets a short ModelError", async () => {
  const def = floatClassifierDef({ size: 16 });
  const sg = def.subgraphs[0];
  def.operatorCodes.push({ builtinCode: 32, deprecatedBuiltinCode: 32, customCode: "x".repeat(5000), version: 1 });
  const first = sg.tensors.length;
  sg.tensors.push(...Array.from({ length: 3000 }, (_, k) => ({ ...sg.tensors[sg.inputs[0]], name: `t${k}` })));
  for (let k = 0; k < 3000; k++) {
    sg.operators.push({ opcodeIndex: def.operatorCodes.length - 1, inputs: [sg.inputs[0]], outputs: [first + k], options: null, optionsType: 0, customOptions: null });
  }
  try {
    await Model.load(writeModel(def));
    assert.unreachable("loaded");
  } catch (e) {
    assert.instance(e, ModelError);
    const error = e as ModelError;
    assert.ok(error.message.length <= 400, `${error.message.length} characters`);
    assert.ok(error.problems.length <= 51 && error.problems.every((line) => line.length <= 200), `${error.problems.length} problems`);
  }
});

const CLI = new URL("../js/cli.js", import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

test("CLI: classify --mean/--std feeds a p/255 model; inspect states layout, normalisation and every problem", () => {
  if (thirdparty === null) return;
  const cat = dataPath("images/samples/cat.bmp")!;
  const vww = join(thirdparty, "mlcommons-tiny/vww_96_float.tflite");
  const result = cli("classify", "--model", vww, "--mean", "0", "--std", "255", "--json", cat);
  assert.is(result.status, 0, result.stderr);
  const [{ top }] = JSON.parse(result.stdout);
  assert.is(top[0].index, 0);
  // TensorFlow Lite's output for the same bytes (thirdparty's vww_96_float.ref.bin, sample 1).
  const ref = new Float32Array(new Uint8Array(readFileSync(join(thirdparty, "mlcommons-tiny/vww_96_float.ref.bin"))).buffer, 8, 2);
  assert.ok(Math.abs(top[0].score - ref[0]) < 1e-6, `${top[0].score} vs ${ref[0]}`);
  assert.is(cli("classify", "--model", vww, "--mean", "0,1", cat).status, 2);
  const person = cli("inspect", "--model", join(thirdparty, "derived/person_detect_qdim0.tflite")).stdout;
  assert.match(person, /image input \(classify\): 96×96 grayscale NHWC int8; pixel p → p − 128/);
  assert.match(person, /runs in quantlite: yes/);
  assert.match(cli("inspect", "--model", vww).stdout, /pixel p → \(p − 127\.5\) \/ 127\.5 \(quantlite's default/);
  const yamnet = cli("inspect", "--model", join(thirdparty, "tflite-support/yamnet_audio_classifier_with_metadata.tflite"));
  assert.is(yamnet.status, 0);
  assert.match(yamnet.stdout, /runs in quantlite: no — cannot run this model: not implemented: LOG; RFFT2D: complex numbers are not supported/);
  assert.match(yamnet.stdout, /\n {2}operator 7: RFFT2D: complex numbers are not supported\n/);
});

test("evaluate takes grayscale and float models through classify's preprocessing", async () => {
  if (thirdparty === null) return;
  const photo = readData("images/samples/grace_hopper.bmp")!;
  const models = ["derived/person_detect_qdim0", "mlcommons-tiny/pretrainedResnet_quant"].map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(thirdparty, `${name}.tflite`))) }));
  const result = await evaluate(models, [{ name: "grace_hopper.bmp", bytes: photo, label: null }]);
  assert.is(result.models.length, 2);
  const person = await Model.load(models[0].bytes);
  assert.is(result.models[0].classes, 2);
  assert.equal(person.run(imageToInput(person, photo)), new Int8Array(readFileSync(join(thirdparty, "derived/person_detect_qdim0.ref.bin")).subarray(0, 2)));
});

test.run();

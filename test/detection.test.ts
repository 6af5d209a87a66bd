// Object detection: the FlexBuffer options reader, TFLite_Detection_PostProcess on a real SSD
// model (tflite-support's coco_ssd_mobilenet_v1_1.0_quant: its outputs against TFLite's
// reference), detect / detectAsync on photos, and the detect command with wrong input. The op's
// arithmetic is proven by test/fixtures/tflite/detection_postprocess (tflite-fixtures.test.ts).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError, Model, ModelError, decodeImage, detect, detectAsync } from "../js/index.js";
import { FlexMap } from "../js/tflite/flexbuffer.js";
import { dataPath, readData } from "./data.js";
import { singleOpModel } from "./model-builder.js";
import { flexMap } from "./tflite-cases/detection_postprocess.js";

const COCO = "thirdparty/tflite-support/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29";
const CLI = new URL("../js/cli.js", import.meta.url).pathname;
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

test("FlexMap reads ints, floats and bools; absent keys are null / 0; bad buffers are short ModelErrors", () => {
  const m = FlexMap.read(flexMap({ b: { int: -7 }, a: { float: 0.6 }, c: { bool: true } }));
  assert.is(m.int32("b"), -7);
  assert.is(m.float("a"), Math.fround(0.6));
  assert.is(m.int32("a"), 0);
  assert.ok(m.bool("c"));
  assert.ok(m.isNull("missing"));
  assert.is(m.int32("missing"), 0);
  assert.is(m.float("missing"), 0);
  const good = flexMap({ max_detections: { int: 10 } });
  for (const bad of [new Uint8Array(0), good.subarray(0, 3), good.subarray(5), Uint8Array.of(1, 4, 1), Uint8Array.of(200, 36, 1)]) {
    try {
      FlexMap.read(bad);
      assert.unreachable("accepted a bad FlexBuffer");
    } catch (e) {
      assert.instance(e, ModelError);
      assert.ok((e as Error).message.length < 80, (e as Error).message);
    }
  }
});

test("TFLite_Detection_PostProcess: options TFLite refuses are ModelErrors at load", async () => {
  const model = (options: Record<string, { int: number } | { float: number }>) => singleOpModel({
    builtinCode: 32, customCode: "TFLite_Detection_PostProcess", customOptions: flexMap(options), options: null,
    inputs: [{ type: "float32", shape: [1, 2, 4] }, { type: "float32", shape: [1, 2, 3] }, { type: "float32", shape: [2, 4], data: new Float32Array(8).fill(0.5) }],
    outputs: [{ type: "float32", shape: [] }, { type: "float32", shape: [] }, { type: "float32", shape: [] }, { type: "float32", shape: [] }],
  });
  const base = { max_detections: { int: 3 }, max_classes_per_detection: { int: 1 }, num_classes: { int: 2 }, nms_iou_threshold: { float: 0.5 }, y_scale: { float: 10 }, x_scale: { float: 10 }, h_scale: { float: 5 }, w_scale: { float: 5 } };
  const ok = await Model.load(model(base));
  assert.equal(ok.outputs.map((t) => t.shape), [[1, 3, 4], [1, 3], [1, 3], [1]]);
  ok.dispose();
  for (const [key, value, why] of [["nms_iou_threshold", { float: 0 }, /nms_iou_threshold/], ["num_classes", { int: 5 }, /columns/], ["max_classes_per_detection", { int: 0 }, /max_classes_per_detection/]] as const) {
    try {
      await Model.load(model({ ...base, [key]: value }));
      assert.unreachable(`${key} accepted`);
    } catch (e) {
      assert.instance(e, ModelError);
      assert.match((e as Error).message, why);
    }
  }
});

test("coco_ssd_mobilenet_v1 (uint8, LOGISTIC + fast NMS): outputs equal TFLite's reference (4 samples; scalar kernels: 1)", async () => {
  const file = readData(`${COCO}.tflite`);
  const inputs = readData(`${COCO}.inputs.bin`);
  const ref = readData(`${COCO}.ref.bin`);
  if (file === null || inputs === null || ref === null) return;
  for (const kernels of ["simd", "scalar"] as const) {
    const model = await Model.load(file, { kernels });
    const sample = 300 * 300 * 3;
    const outBytes = 4 * (40 + 10 + 10 + 1);
    // The scalar kernels take long on this model: one sample.
    for (let s = 0; s < (kernels === "simd" ? 4 : 1); s++) {
      const outputs = model.runAll([inputs.slice(s * sample, (s + 1) * sample)]);
      const got = new Uint8Array(outBytes);
      let at = 0;
      for (const o of outputs) { got.set(new Uint8Array(o.buffer, o.byteOffset, o.byteLength), at); at += o.byteLength; }
      assert.equal(got, ref.slice(s * outBytes, (s + 1) * outBytes), `${kernels} sample ${s}`);
    }
    model.dispose();
  }
});

test("detect: the grace_hopper photo gives a person box around her; the cat photo a cat", async () => {
  const file = readData(`${COCO}.tflite`);
  const grace = readData("images/samples/grace_hopper.bmp");
  const cat = readData("images/samples/cat.bmp");
  if (file === null || grace === null || cat === null) return;
  const model = await Model.load(file);
  const { width, height } = decodeImage(grace);
  const found = detect(model, grace, { scoreThreshold: 0.5 });
  assert.ok(found.length >= 1);
  const best = found[0];
  assert.is(best.label, "person");
  assert.ok(best.score > 0.6, String(best.score));
  const { x, y, width: w, height: h } = best.box;
  // Her figure fills most of the portrait: the box spans most of it and holds its centre.
  assert.ok(w > 0.7 * width && h > 0.7 * height, JSON.stringify(best.box));
  assert.ok(x >= 0 && y >= 0 && x + w <= width && y + h <= height);
  assert.ok(x < width / 2 && x + w > width / 2 && y < height / 2 && y + h > height / 2);
  for (let i = 1; i < found.length; i++) assert.ok(found[i - 1].score >= found[i].score);
  assert.is(detect(model, cat, { maxResults: 1 })[0].label, "cat");
  assert.is(detect(model, grace, { maxResults: 3 }).length, 3);
  assert.equal(detect(model, grace, { labels: ["a", "b"], maxResults: 1 })[0].label, "a");
  // detectAsync: bytes, a Blob and ImageData give the same detections.
  assert.equal(await detectAsync(model, grace), detect(model, grace));
  assert.equal(await detectAsync(model, new Blob([new Uint8Array(grace)])), detect(model, grace));
  const rgb = decodeImage(grace);
  const rgba = new Uint8ClampedArray(rgb.width * rgb.height * 4);
  for (let i = 0; i < rgb.width * rgb.height; i++) rgba.set([...rgb.data.subarray(3 * i, 3 * i + 3), 255], 4 * i);
  assert.equal(await detectAsync(model, { width: rgb.width, height: rgb.height, data: rgba }), detect(model, grace));
  model.dispose();
});

test("detect: a classifier, bad options and non-images are InputErrors / ImageErrors", async () => {
  const file = readData(`${COCO}.tflite`);
  const classifier = readData("thirdparty/coral-test_data/mobilenet_v1_0.25_128_quant.tflite");
  const grace = readData("images/samples/grace_hopper.bmp");
  if (file === null || classifier === null || grace === null) return;
  const mobilenet = await Model.load(classifier);
  assert.throws(() => detect(mobilenet, grace), (e: Error) => e instanceof InputError && /SSD model/.test(e.message));
  const model = await Model.load(file);
  assert.throws(() => detect(model, grace, { maxResults: 0 }), (e: Error) => e instanceof InputError);
  assert.throws(() => detect(model, grace, { scoreThresold: 1 } as never), (e: Error) => e instanceof InputError && /scoreThresold/.test(e.message));
  assert.throws(() => detect(model, new Uint8Array([1, 2, 3])), (e: Error) => e.name === "ImageError");
});

test("quantlite detect: results, --json, and short errors (exit 2 usage, 1 bad input)", () => {
  const model = dataPath(`${COCO}.tflite`);
  const grace = dataPath("images/samples/grace_hopper.bmp");
  if (model === null || grace === null) return;
  const ok = cli(["detect", "--model", model, grace, "--json", "--max-results", "2", "--score-threshold", "0.4"]);
  assert.is(ok.status, 0, ok.stderr);
  const [result] = JSON.parse(ok.stdout);
  assert.is(result.detections.length, 2);
  assert.is(result.detections[0].label, "person");
  const text = cli(["detect", "--model", model, grace]);
  assert.match(text.stdout, /person\s+0\.\d{4}\s+x \d+ y \d+ w \d+ h \d+/);
  for (const [args, status, why] of [
    [["detect", grace], 2, /--model is required/],
    [["detect", "--model", model], 2, /at least one image/],
    [["detect", "--model", model, "--max-results", "0", grace], 2, /--max-results/],
    [["detect", "--model", model, "--score-threshold", "high", grace], 2, /--score-threshold/],
    [["detect", "--model", model, "--orientation", "up", grace], 2, /--orientation/],
    [["detect", "--model", "/nonexistent.tflite", grace], 1, /cannot read/],
    [["detect", "--model", model, "/nonexistent.jpg"], 1, /cannot read/],
  ] as const) {
    const r = cli([...args]);
    assert.is(r.status, status, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.ok(r.stderr.split("\n").filter(Boolean).length <= 2, r.stderr);
  }
  const notImage = cli(["detect", "--model", model, model]);
  assert.is(notImage.status, 1);
  assert.is(notImage.stdout, "", "results only on stdout");
  assert.match(notImage.stderr, /^quantlite: .*\.tflite: unknown image format/);
  const help = cli(["detect", "--help"]);
  assert.is(help.status, 0);
  assert.match(help.stdout, /^Usage:\n  quantlite detect --model M/);
  assert.ok(readFileSync(grace).length > 0);
});

test.run();

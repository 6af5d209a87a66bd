// classify() and the quantlite CLI on the real models and photos, plus label alignment rules.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { classify, topK } from "../js/classify.js";
import { InputError, Model } from "../js/index.js";
import { labelResolver } from "../js/labels.js";
import { dataPath, readData } from "./data.js";

const CLI = new URL("../js/cli.js", import.meta.url).pathname;
const TF2 = "models/tf2_mobilenet_v2_1.0_224_ptq.tflite";
const TF1 = "models/mobilenet_v2_1.0_224_quant.tflite";
const BIRDS = "models/mobilenet_v2_1.0_224_inat_bird_quant.tflite";

const EXPECTED: [model: string, image: string, label: string][] = [
  [TF2, "cat.bmp", "Egyptian cat"],
  [TF2, "parrot.jpg", "macaw"],
  [TF2, "grace_hopper.bmp", "mortarboard"],
  [TF1, "cat.bmp", "Egyptian cat"],
  [TF1, "parrot.jpg", "macaw"],
  [TF1, "grace_hopper.bmp", "military uniform"],
  [BIRDS, "parrot.jpg", "Ara macao (Scarlet Macaw)"],
  [BIRDS, "owl.jpg", "Athene cunicularia (Burrowing Owl)"],
];

for (const [file, image, label] of EXPECTED) {
  test(`classify ${image} with ${file.split("/")[1]}: "${label}" first`, async () => {
    const modelBytes = readData(file);
    const imageBytes = readData(`images/samples/${image}`);
    if (!modelBytes || !imageBytes) return;
    const model = await Model.load(modelBytes);
    const top = classify(model, imageBytes, { top: 5 });
    assert.is(top.length, 5);
    assert.is(top[0].label, label);
    assert.ok(top[0].score > 0.2 && top[0].score <= 1, `score ${top[0].score}`);
    for (let k = 1; k < top.length; k++) assert.ok(top[k - 1].score >= top[k].score);
  });
}

test("the bird model's labels file agrees with the labels packed in the model", async () => {
  const modelBytes = readData(BIRDS);
  const labelsPath = dataPath("models/inat_bird_labels.txt");
  const imageBytes = readData("images/samples/parrot.jpg");
  if (!modelBytes || !labelsPath || !imageBytes) return;
  const model = await Model.load(modelBytes);
  assert.is(model.labels?.length, 965);
  assert.is(model.labels?.[964], "background");
  const fromFile = classify(model, imageBytes, { labels: readFileSync(labelsPath, "utf8") });
  assert.equal(fromFile, classify(model, imageBytes));
});

test("labels line up with 1001-class and 1000-class outputs", () => {
  const imagenet = ["background", "tench", "goldfish"];
  assert.is(labelResolver(imagenet, 3)(1), "tench");
  assert.is(labelResolver(imagenet.slice(1), 3)(0), "background");
  assert.is(labelResolver(imagenet.slice(1), 3)(2), "goldfish");
  assert.is(labelResolver(imagenet, 2)(0), "tench");
  assert.is(labelResolver("a\nb\r\nc\n\n", 3)(2), "c");
  assert.is(labelResolver(null, 3)(1), null);
  assert.throws(() => labelResolver(["a", "b"], 7), (e: unknown) => e instanceof InputError && /2 lines.*7 classes/.test((e as Error).message));
});

test("topK ranks by score and breaks ties by the lower index", () => {
  assert.equal(topK([0.1, 0.5, 0.5, 0.9, 0.5], 4), [3, 1, 2, 4]);
  assert.equal(topK([1, 2], 5), [1, 0]);
});

function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

test("CLI classify --json names the top class of each image", () => {
  const model = dataPath(TF2);
  const cat = dataPath("images/samples/cat.bmp");
  const parrot = dataPath("images/samples/parrot.jpg");
  if (!model || !cat || !parrot) return;
  const out = JSON.parse(execFileSync(process.execPath, [CLI, "classify", "--model", model, "--top", "3", "--json", cat, parrot], { encoding: "utf8" }));
  assert.is(out.length, 2);
  assert.is(out[0].top.length, 3);
  assert.is(out[0].top[0].label, "Egyptian cat");
  assert.is(out[1].top[0].label, "macaw");
});

test("CLI run reproduces the golden sample outputs from raw input tensors", () => {
  const model = dataPath(TF2);
  const input = dataPath("golden/samples.u8.bin");
  const want = readData("golden/tf2_ptq.samples.bin");
  if (!model || !input || !want) return;
  const dir = mkdtempSync(join(tmpdir(), "quantlite-"));
  try {
    const result = cli(["run", "--model", model, "--input", input, "--output", join(dir, "out.bin")]);
    assert.is(result.status, 0, result.stderr);
    assert.ok(Buffer.from(readFileSync(join(dir, "out.bin"))).equals(Buffer.from(want)), "outputs differ from tf2_ptq.samples.bin");
    const bad = cli(["run", "--model", model, "--input", model, "--output", join(dir, "x.bin")]);
    assert.is(bad.status, 2);
    assert.match(bad.stderr, /not a whole number of samples of 150528 bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CLI inspect reports ops, MACs and quantization", () => {
  const model = dataPath(TF2);
  if (!model) return;
  const summary = JSON.parse(execFileSync(process.execPath, [CLI, "inspect", "--model", model, "--json"], { encoding: "utf8", maxBuffer: 64 << 20 }));
  assert.is(summary.ops.length, 68);
  assert.equal(summary.opCounts, { QUANTIZE: 2, CONV_2D: 36, DEPTHWISE_CONV_2D: 17, ADD: 10, MEAN: 1, RESHAPE: 1, SOFTMAX: 1 });
  assert.ok(summary.totalMacs > 290e6 && summary.totalMacs < 310e6, `MACs ${summary.totalMacs}`);
  assert.is(summary.labels, 1001);
  const conv = summary.ops.find((op: { type: string }) => op.type === "CONV_2D");
  assert.match(summary.tensors[conv.inputs[1]].quantization, /per-channel \(dimension 0\)/);
  const text = cli(["inspect", "--model", model]);
  assert.is(text.status, 0);
  assert.match(text.stdout, /CONV_2D 36/);
});

test("CLI errors: usage problems exit 2, bad models and images exit 1 with a typed message", () => {
  assert.is(cli(["frobnicate"]).status, 2);
  assert.is(cli(["classify", "--model"]).status, 2);
  const usage = cli(["classify", "--top", "x"]);
  assert.ok(usage.stderr.trim().split("\n").length <= 3, usage.stderr);
  const missing = cli(["classify", "--model", "/nonexistent.tflite", "x.jpg"]);
  assert.is(missing.status, 1);
  assert.is(missing.stderr.trim(), "quantlite: cannot read /nonexistent.tflite: ENOENT");
  const self = new URL(import.meta.url).pathname;
  const notModel = cli(["inspect", "--model", self]);
  assert.is(notModel.status, 1);
  assert.match(notModel.stderr, /ModelError/);
  const model = dataPath(TF2);
  if (!model) return;
  const badImage = cli(["classify", "--model", model, self]);
  assert.is(badImage.status, 1);
  assert.match(badImage.stdout, /error: .*(not a|unknown|unsupported|format)/i);
});

test.run();

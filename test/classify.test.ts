// classify() and the quantlite CLI on the real models and photos, plus label alignment rules.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { classify, imageToInput, outputScores, topK } from "../js/classify.js";
import { classifyAsync } from "../js/classify-async.js";
import { InputError, Model } from "../js/index.js";
import { labelResolver } from "../js/labels.js";
import { dataPath, readData } from "./data.js";
import { makeBmp } from "./image-builder.js";
import { meanModel } from "./model-builder.js";

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
    assert.ok(top.length >= 1 && top.length <= 5, `${top.length} classes`);
    assert.is(top[0].label, label);
    assert.ok(top[0].score > 0.2 && top[0].score <= 1, `score ${top[0].score}`);
    for (let k = 1; k < top.length; k++) assert.ok(top[k - 1].score >= top[k].score);
    assert.ok(top.every((c) => c.score > 0), "a class of score 0");
  });
}

/** The TF1 (uint8) model, cat.bmp, and its dequantized scores straight from model.run. */
async function tf1Cat(): Promise<{ model: Model; cat: Uint8Array; scores: Float64Array } | null> {
  const modelBytes = readData(TF1);
  const cat = readData("images/samples/cat.bmp");
  if (!modelBytes || !cat) return null;
  const model = await Model.load(modelBytes);
  return { model, cat, scores: outputScores(model, model.run(imageToInput(model, cat))) };
}

const labelsOf = (top: { label: string | null }[]) => top.map((c) => c.label);

test("classify never returns a class of score exactly 0: the TF1 softmax on cat.bmp has 4 non-zero classes of 1001", async () => {
  const data = await tf1Cat();
  if (!data) return;
  const { model, cat, scores } = data;
  const nonZero = Array.from(scores.keys()).filter((i) => scores[i] !== 0);
  assert.is(scores.length, 1001);
  assert.is(nonZero.length, 4);
  const top = classify(model, cat, { maxResults: 10 });
  assert.equal(top.map((c) => c.index).sort((a, b) => a - b), nonZero);
  assert.equal(labelsOf(top), ["Egyptian cat", "tabby, tabby cat", "tiger cat", "plastic bag"]);
  assert.equal(top.map((c) => c.score * 256), [201, 25, 21, 1]);
  assert.is(classify(model, cat).length, 4, "the default 5 is at most 5");
  model.dispose();
});

test("maxResults and its alias top: the best K; both equal is fine, both different is an InputError", async () => {
  const data = await tf1Cat();
  if (!data) return;
  const { model, cat } = data;
  const all = classify(model, cat, { maxResults: 1000 });
  assert.equal(classify(model, cat, { maxResults: 2 }), all.slice(0, 2));
  assert.equal(classify(model, cat, { top: 2 }), all.slice(0, 2));
  assert.equal(classify(model, cat, { top: 3, maxResults: 3 }), all.slice(0, 3));
  assert.throws(() => classify(model, cat, { top: 2, maxResults: 3 }), (e: unknown) => e instanceof InputError && /alias of maxResults.*maxResults 3 and top 2/.test((e as Error).message));
  assert.throws(() => classify(model, cat, { maxResults: 0 }), (e: unknown) => e instanceof InputError && /maxResults must be a positive integer, got 0/.test((e as Error).message));
  model.dispose();
});

test("scoreThreshold keeps classes scoring at or above it", async () => {
  const data = await tf1Cat();
  if (!data) return;
  const { model, cat } = data;
  // Scores: Egyptian cat 201/256, tabby 25/256, tiger cat 21/256, plastic bag 1/256.
  assert.equal(labelsOf(classify(model, cat, { scoreThreshold: 25 / 256 })), ["Egyptian cat", "tabby, tabby cat"]);
  assert.equal(labelsOf(classify(model, cat, { scoreThreshold: 25 / 256 + 1e-9 })), ["Egyptian cat"]);
  assert.equal(labelsOf(classify(model, cat, { scoreThreshold: 0.9 })), []);
  assert.equal(labelsOf(classify(model, cat, { scoreThreshold: 0.05, maxResults: 2 })), ["Egyptian cat", "tabby, tabby cat"]);
  assert.is(classify(model, cat, { scoreThreshold: -1, maxResults: 1000 }).length, 4, "a negative threshold does not bring back zeros");
  model.dispose();
});

test("categoryAllowlist and categoryDenylist select classes by label; both together is an InputError", async () => {
  const data = await tf1Cat();
  if (!data) return;
  const { model, cat } = data;
  // "macaw" scores 0 on the cat, "not a label" names no class: neither is returned.
  assert.equal(labelsOf(classify(model, cat, { categoryAllowlist: ["plastic bag", "tiger cat", "macaw", "not a label"] })), ["tiger cat", "plastic bag"]);
  assert.equal(labelsOf(classify(model, cat, { categoryDenylist: ["Egyptian cat", "tiger cat"] })), ["tabby, tabby cat", "plastic bag"]);
  assert.equal(labelsOf(classify(model, cat, { categoryDenylist: [] })), labelsOf(classify(model, cat)));
  assert.equal(labelsOf(classify(model, cat, { categoryAllowlist: ["tiger cat", "Egyptian cat"], scoreThreshold: 0.5 })), ["Egyptian cat"]);
  // Labels given in the call are the names the lists refer to.
  const numbered = Array.from({ length: 1001 }, (_, i) => `class ${i}`);
  const egyptian = classify(model, cat)[0].index;
  assert.equal(labelsOf(classify(model, cat, { labels: numbered, categoryAllowlist: [`class ${egyptian}`] })), [`class ${egyptian}`]);
  assert.throws(() => classify(model, cat, { categoryAllowlist: ["tiger cat"], categoryDenylist: ["tabby, tabby cat"] }),
    (e: unknown) => e instanceof InputError && /categoryAllowlist and categoryDenylist cannot be used together/.test((e as Error).message));
  assert.equal(await classifyAsync(model, cat, { categoryDenylist: ["Egyptian cat"], maxResults: 2 }), classify(model, cat, { categoryDenylist: ["Egyptian cat"], maxResults: 2 }));
  model.dispose();
});

test("a 3-class model without labels (channel means of a flat image): zero excluded, label lists need labels", async () => {
  const q = { scale: 1, zeroPoint: 0 };
  const model = await Model.load(meanModel({ type: "uint8", shape: [1, 4, 4, 3], q }, { type: "uint8", shape: [1, 3], q }, [1, 2], false));
  const data = new Uint8Array(8 * 8 * 3).map((_, i) => [200, 0, 60][i % 3]);
  const bmp = makeBmp({ image: { width: 8, height: 8, data }, bitCount: 24 });
  assert.equal(classify(model, bmp), [{ index: 0, label: null, score: 200 }, { index: 2, label: null, score: 60 }]);
  assert.throws(() => classify(model, bmp, { categoryDenylist: ["red"] }), (e: unknown) => e instanceof InputError && /categoryDenylist needs labels/.test((e as Error).message));
  assert.equal(classify(model, bmp, { labels: ["red", "green", "blue"], categoryAllowlist: ["green", "blue"] }), [{ index: 2, label: "blue", score: 60 }]);
  model.dispose();
});

test("an unknown option is an InputError naming it and the known ones, with a suggestion when one is close", async () => {
  const data = await tf1Cat();
  if (!data) return;
  const { model, cat } = data;
  const rejects = (call: () => unknown, pattern: RegExp) => assert.throws(call, (e: unknown) => e instanceof InputError && pattern.test((e as Error).message), String(pattern));
  // @ts-expect-error maxResult is not an option (the options type is exact)
  rejects(() => classify(model, cat, { maxResult: 3 }), /unknown classify option "maxResult"; did you mean "maxResults"\? \(known: maxResults, top, scoreThreshold, .*onWarning\)/);
  // @ts-expect-error score_threshold is not an option
  rejects(() => classify(model, cat, { score_threshold: 0.5 }), /"score_threshold"; did you mean "scoreThreshold"\?/);
  // @ts-expect-error categoryAllowList is not an option
  rejects(() => classify(model, cat, { categoryAllowList: ["tiger cat"] }), /did you mean "categoryAllowlist"\?/);
  // @ts-expect-error frobnicate is not an option
  rejects(() => classify(model, cat, { frobnicate: true }), /^unknown classify option "frobnicate" \(known: /);
  // @ts-expect-error threshold is not an option
  const asyncError = await classifyAsync(model, cat, { threshold: 0.5 }).catch((e: unknown) => e);
  assert.ok(asyncError instanceof InputError && /unknown classify option "threshold"/.test(asyncError.message), String(asyncError));
  model.dispose();
});

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

test("CLI classify --max-results (alias --top) and --score-threshold", () => {
  const model = dataPath(TF1);
  const cat = dataPath("images/samples/cat.bmp");
  if (!model || !cat) return;
  const labels = (args: string[]) => {
    const result = cli(["classify", "--model", model, "--json", ...args, cat]);
    assert.is(result.status, 0, result.stderr);
    return JSON.parse(result.stdout)[0].top.map((c: { label: string }) => c.label);
  };
  assert.equal(labels(["--max-results", "2"]), ["Egyptian cat", "tabby, tabby cat"]);
  assert.equal(labels(["--top", "2", "--max-results", "2"]), ["Egyptian cat", "tabby, tabby cat"]);
  assert.equal(labels([]), ["Egyptian cat", "tabby, tabby cat", "tiger cat", "plastic bag"]);
  assert.equal(labels(["--score-threshold", "0.09"]), ["Egyptian cat", "tabby, tabby cat"]);
  const text = cli(["classify", "--model", model, "--top", "1", cat]);
  assert.is(text.stdout.trim().split("\n").length, 2, text.stdout);
  for (const [args, message] of [
    [["--top", "2", "--max-results", "3"], /--top is an alias of --max-results/],
    [["--max-results", "0"], /--max-results must be a positive integer, got 0/],
    [["--score-threshold", "high"], /--score-threshold must be a number, got "high"/],
  ] as const) {
    const bad = cli(["classify", "--model", model, ...args, cat]);
    assert.is(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, message);
  }
  assert.match(cli(["--help"]).stdout, /--max-results K \(alias --top, default\s+5\): at most K classes; --score-threshold X/);
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
  assert.is(badImage.stdout, "", "results only on stdout");
  assert.match(badImage.stderr, /^quantlite: .*classify\.test\.js: .*(not a|unknown|unsupported|format)/i);
});

test.run();

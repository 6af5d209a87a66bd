// evaluate(), the HTML report, progress output, and the quantize / eval commands, on a small
// generated float classifier, its quantized model and synthetic images.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { classify } from "../js/classify.js";
import { Progress } from "../js/commands/progress.js";
import { type EvalImage, evaluate } from "../js/eval/evaluate.js";
import { renderHtml } from "../js/eval/html.js";
import { formatEval } from "../js/eval/table.js";
import { InputError, Model } from "../js/index.js";
import { quantize } from "../js/quantize/quantize.js";
import { writeModel } from "../js/tflite/write.js";
import { floatClassifierDef, floatInputs } from "./float-model.js";
import { makeBmp, randomImage } from "./image-builder.js";

const CLI = new URL("../js/cli.js", import.meta.url).pathname;
const FLOAT = writeModel(floatClassifierDef());
const INT8 = (await quantize(FLOAT, floatInputs(100, 16, 1))).model; // uint8 in and out
const IMAGES = Array.from({ length: 12 }, (_, k) => makeBmp({ image: randomImage(24 + k, 20, 100 + k), bitCount: 24 }));
const LABELS = IMAGES.map((_, k) => k % 10);

function evalImages(): EvalImage[] {
  return IMAGES.map((bytes, k) => ({ name: `img${k}.bmp`, bytes, label: LABELS[k] }));
}

test("evaluate: top-1 / top-5 equal classify()'s, agreement is symmetric, per-layer matches every tensor by name", async () => {
  const models = [{ name: "float.tflite", bytes: FLOAT }, { name: "int8.tflite", bytes: INT8 }];
  const progress: number[] = [];
  const result = await evaluate(models, evalImages(), { perLayer: true, onProgress: (done) => progress.push(done) });
  assert.is(result.images, 12);
  assert.is(result.labelled, 12);
  assert.equal(progress, Array.from({ length: 12 }, (_, k) => k + 1));
  for (const [k, m] of result.models.entries()) {
    const model = await Model.load(models[k].bytes);
    let top1 = 0;
    let top5 = 0;
    IMAGES.forEach((image, i) => {
      const top = classify(model, image, { top: 5 }).map((c) => c.index);
      if (top[0] === LABELS[i]) top1++;
      if (top.includes(LABELS[i])) top5++;
    });
    assert.is(m.top1, top1, `${m.name} top-1`);
    assert.is(m.top5, top5, `${m.name} top-5`);
    assert.is(m.fileBytes, models[k].bytes.length);
    assert.ok(m.latency.medianMs > 0 && m.latency.runs === 12);
  }
  assert.equal(result.agreement[0][1], result.agreement[1][0]);
  assert.is(result.agreement[0][0], 12);
  assert.ok(result.agreement[0][1] >= 10, `float and int8 agree on ${result.agreement[0][1]} of 12`);
  assert.is(result.perLayer.length, 1);
  const layers = result.perLayer[0];
  assert.is(layers.matchedBy, "name");
  assert.is(layers.layers.length, 12); // every op output, the softmax through its "_int8" name
  for (const l of layers.layers) {
    assert.ok(l.sqnrDb > 15, `${l.name}: SQNR ${l.sqnrDb} dB`);
    assert.ok(l.maxErrorSteps >= 0 && l.maxErrorSteps < 64, `${l.name}: ${l.maxErrorSteps} steps`);
  }
  const text = formatEval(result);
  assert.match(text, /float\.tflite/);
  assert.match(text, /per layer: int8\.tflite vs float\.tflite \(12 tensors matched by name, 12 images\)/);
});

test("evaluate: undecodable images are skipped and listed; bad arguments are InputErrors", async () => {
  const images = [...evalImages().slice(0, 3), { name: "broken.jpg", bytes: new Uint8Array([0xff, 0xd8, 0xff]), label: 1 }];
  const warnings: string[] = [];
  const result = await evaluate([{ name: "int8", bytes: INT8 }], images, { onWarning: (w) => warnings.push(w) });
  assert.is(result.images, 3);
  assert.equal(result.skipped.map((s) => s.name), ["broken.jpg"]);
  assert.match(warnings[0], /skipped broken\.jpg/);
  for (const [models, imgs, pattern] of [
    [[], images, /at least one model/],
    [[{ name: "int8", bytes: INT8 }], [], /at least one image/],
  ] as const) {
    try {
      await evaluate(models as never, imgs as never);
      assert.unreachable();
    } catch (e) {
      assert.instance(e, InputError);
      assert.match((e as Error).message, pattern);
    }
  }
  try {
    await evaluate([{ name: "int8", bytes: INT8 }], images, { perLayer: true });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /float32 model/);
  }
});

test("the HTML report is one self-contained page: inline SVG charts, no scripts, no external resources", async () => {
  const result = await evaluate([{ name: "float <a>.tflite", bytes: FLOAT }, { name: "int8.tflite", bytes: INT8 }], evalImages(), { perLayer: true });
  const html = renderHtml(result, { title: "test report", notes: ["a & b"] });
  assert.match(html, /^<!doctype html>/);
  assert.ok((html.match(/<svg /g) ?? []).length >= 4, "accuracy, latency, size and SQNR charts");
  assert.not.match(html, /<script|<link|<img|src=|@import|url\(/i);
  assert.not.match(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, ""), /https?:\/\//);
  assert.match(html, /float &lt;a&gt;\.tflite/);
  assert.match(html, /a &amp; b/);
  assert.match(html, /Per-layer SQNR/);
  // Axis ticks at round values (0, 25, 50 … not 0.0, 24.6, 49.3 …), charts and tables that fit a phone.
  for (const svg of (html.match(/<svg [^]*?<\/svg>/g) ?? []).filter((chart) => !chart.includes('aria-label="per-layer SQNR"'))) {
    const ticks = [...svg.matchAll(/class="tick">([^<]+)</g)].map((m) => Number(m[1]));
    const steps = ticks.slice(1).map((t, k) => t - ticks[k]);
    if (steps.length < 2) continue;
    const step = steps[0];
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    assert.ok([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9), `tick step ${step}`);
    assert.ok(ticks.every((t) => Math.abs(t / step - Math.round(t / step)) < 1e-9), `ticks ${ticks}`);
  }
  assert.match(html, /svg\{max-width:100%;height:auto\}/);
  assert.is((html.match(/<table>/g) ?? []).length, (html.match(/<div class="wide"><table>/g) ?? []).length, "every table scrolls inside its own box");
});

test("progress: a redrawn bar with rate and ETA on a terminal, plain lines otherwise", () => {
  const written: string[] = [];
  const tty = new Progress("working", 4, "images", { isTTY: true, columns: 100, write: (t) => written.push(t) });
  for (let k = 1; k <= 4; k++) tty.update(k);
  tty.note("warning: x");
  tty.finish();
  assert.ok(written.some((w) => /^\rworking \[#+\.*\] \d\/4 images, [\d.]+ images\/s, ETA/.test(w)), written.join("|"));
  assert.ok(written.includes("\r\x1b[Kwarning: x\n"));
  assert.is(written[written.length - 1], "\n");
  const lines: string[] = [];
  const plain = new Progress("working", 3, "images", { isTTY: false, write: (t) => lines.push(t) });
  for (let k = 1; k <= 3; k++) plain.update(k);
  plain.finish();
  assert.ok(lines.every((l) => !l.includes("\r") && l.endsWith("\n")));
  assert.match(lines[lines.length - 1], /^working: 3\/3 images, [\d.]+ images\/s, ETA 0 s\n$/);
});

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

test("CLI: eval --jobs spreads the images over worker threads with results identical to one job (latency aside)", () => {
  const dir = mkdtempSync(join(tmpdir(), "quantlite-jobs-"));
  try {
    const images = join(dir, "images");
    mkdirSync(images);
    for (let k = 0; k < 75; k++) writeFileSync(join(images, `n0000000${LABELS[k % IMAGES.length]}_img${String(k).padStart(3, "0")}.bmp`), IMAGES[k % IMAGES.length]);
    writeFileSync(join(images, "n00000001_broken.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(images, "synsets.txt"), Array.from({ length: 10 }, (_, k) => `n0000000${k}`).join("\n"));
    writeFileSync(join(dir, "float.tflite"), FLOAT);
    const q = run(["quantize", "--model", join(dir, "float.tflite"), "--calibration", images, "--count", "8", "--out", join(dir, "int8.tflite")]);
    assert.is(q.status, 0, q.stderr);
    const evalJson = (jobs: string) => {
      const e = run(["eval", "--model", join(dir, "float.tflite"), "--model", join(dir, "int8.tflite"), "--images", images, "--per-layer", "--jobs", jobs, "--json"]);
      assert.is(e.status, 0, e.stderr);
      const json = JSON.parse(e.stdout);
      delete json.seconds;
      for (const m of json.models) delete m.latency;
      return json;
    };
    const one = evalJson("1");
    assert.is(one.images, 75);
    assert.is(one.skipped.length, 1);
    assert.equal(evalJson("3"), one);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CLI: quantize a float model on a folder of images, then eval both with --json and --html", () => {
  const dir = mkdtempSync(join(tmpdir(), "quantlite-eval-"));
  try {
    const images = join(dir, "images");
    mkdirSync(images);
    IMAGES.forEach((bytes, k) => writeFileSync(join(images, `n0000000${LABELS[k]}_img${String(k).padStart(2, "0")}.bmp`), bytes));
    writeFileSync(join(images, "broken.png"), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(join(images, "notes.txt"), "not an image");
    writeFileSync(join(images, "synsets.txt"), Array.from({ length: 10 }, (_, k) => `n0000000${k}`).join("\n"));
    writeFileSync(join(dir, "float.tflite"), FLOAT);

    const q = run(["quantize", "--model", join(dir, "float.tflite"), "--calibration", images, "--out", join(dir, "int8.tflite"), "--method", "minmax", "--report", join(dir, "report.json")]);
    assert.is(q.status, 0, q.stderr);
    assert.match(q.stdout, /calibrated float\.tflite on 12 images \(1 skipped: undecodable\) in [\d.]+ s \([\d.]+ images\/s\), method minmax/);
    assert.match(q.stdout, /wrote .*int8\.tflite: [\d,]+ bytes, int8 with per-channel weights, input uint8, output uint8; 1 warning/);
    assert.match(q.stderr, /warning: skipped broken\.png/);
    assert.match(q.stderr, /calibrating: 13\/13 images/);
    assert.is(JSON.parse(readFileSync(join(dir, "report.json"), "utf8")).samples, 12);

    const e = run(["eval", "--model", join(dir, "float.tflite"), "--model", join(dir, "int8.tflite"), "--images", images, "--skip", "2", "--count", "8", "--per-layer", "--json", "--html", join(dir, "r.html")]);
    assert.is(e.status, 0, e.stderr);
    const json = JSON.parse(e.stdout);
    assert.is(json.images, 8);
    assert.is(json.labelled, 8);
    assert.is(json.models.length, 2);
    assert.is(json.perLayer[0].layers.length, 12);
    assert.match(readFileSync(join(dir, "r.html"), "utf8"), /<svg /);

    const table = run(["eval", "--model", join(dir, "int8.tflite"), "--images", images]);
    assert.is(table.status, 0, table.stderr);
    assert.match(table.stdout, /12 images \(12 labelled\), 1 skipped/);
    assert.match(table.stdout, /int8\.tflite {2}uint8/);
    assert.match(table.stderr, /warning: skipped broken\.png/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("CLI: usage errors exit 2; bad models and empty calibration sets exit 1 with the typed error", () => {
  const dir = mkdtempSync(join(tmpdir(), "quantlite-eval-"));
  try {
    writeFileSync(join(dir, "float.tflite"), FLOAT);
    writeFileSync(join(dir, "int8.tflite"), INT8);
    mkdirSync(join(dir, "empty"));
    const cases: [string[], number, RegExp][] = [
      [["quantize", "--model", join(dir, "float.tflite"), "--out", join(dir, "x.tflite")], 2, /quantize needs --calibration/],
      [["quantize", "--model", join(dir, "float.tflite"), "--calibration", join(dir, "empty"), "--out", join(dir, "x.tflite"), "--method", "kl"], 2, /unknown calibration method "kl"/],
      [["quantize", "--model", join(dir, "float.tflite"), "--calibration", join(dir, "empty"), "--out", join(dir, "x.tflite"), "--input-type", "int16"], 2, /--input-type must be uint8, int8 or float32/],
      [["quantize", "--model", join(dir, "float.tflite"), "--calibration", join(dir, "missing"), "--out", join(dir, "x.tflite")], 2, /does not exist/],
      [["quantize", "--model", join(dir, "float.tflite"), "--calibration", join(dir, "empty"), "--out", join(dir, "x.tflite")], 1, /InputError: the calibration set is empty/],
      [["quantize", "--model", join(dir, "int8.tflite"), "--calibration", join(dir, "empty"), "--out", join(dir, "x.tflite")], 1, /ModelError: the model is already quantized/],
      [["eval", "--images", join(dir, "empty")], 2, /eval needs at least one --model/],
      [["eval", "--model", join(dir, "int8.tflite"), "--images", join(dir, "empty")], 2, /no images to evaluate/],
      [["eval", "--model", join(dir, "int8.tflite"), "--images", join(dir, "empty"), "--count", "0"], 2, /--count must be a positive integer/],
    ];
    for (const [args, status, pattern] of cases) {
      const r = run(args);
      assert.is(r.status, status, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

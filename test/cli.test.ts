// The command line's own behaviour, apart from what each command computes: help for every
// command, the version, and short usage errors with a suggestion.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadImageSet } from "../js/node.js";
import { dataPath } from "./data.js";

const CLI = new URL("../js/cli.js", import.meta.url).pathname;
const cli = (args: string[], input?: Uint8Array) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", input });

test("every command answers --help and -h with its synopsis and description, exit 0", () => {
  for (const command of ["classify", "detect", "decode", "run", "inspect", "quantize", "eval", "dequantize"]) {
    for (const flag of ["--help", "-h"]) {
      const result = cli([command, flag]);
      assert.is(result.status, 0, `${command} ${flag}: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`^Usage:\\n  quantlite ${command} `), `${command} ${flag}`);
      assert.match(result.stdout, new RegExp(`\\n  ${command} +\\S`), `${command} ${flag}: description`);
      assert.ok(!result.stdout.includes("quantlite inspect") || command === "inspect", `${command} ${flag}: only its own synopsis`);
    }
  }
  assert.match(cli(["--help"]).stdout, /quantlite decode IMAGE --out OUT/);
});

test("--version prints the package's version; an unknown command is one line with a suggestion, exit 2", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  assert.is(cli(["--version"]).stdout.trim(), pkg.version);
  const typo = cli(["clasify", "x.jpg"]);
  assert.is(typo.status, 2);
  assert.is(typo.stderr, 'quantlite: unknown command "clasify"; did you mean "classify"?\nRun "quantlite --help" for usage.\n');
  const unknown = cli(["frobnicate"]);
  assert.is(unknown.status, 2);
  assert.not.match(unknown.stderr, /did you mean/);
});

test("loadImageSet (quantlite/node) reads a labelled folder as eval does; eval warns when no image has a label", () => {
  const folder = dataPath("imagenet-sample");
  const model = dataPath("models/mobilenet_v2_1.0_224_quant.tflite");
  if (!folder || !model) return;
  const { images, found } = loadImageSet(folder, { skip: 2, count: 3 });
  assert.is(found, 500);
  assert.equal(images.map((image) => image.name), ["n01494475_hammerhead.JPEG", "n01498041_stingray.JPEG", "n01514859_hen.JPEG"]);
  assert.equal(images.map((image) => image.label), [4, 6, 8]);
  const dir = mkdtempSync(join(tmpdir(), "quantlite-eval-"));
  try {
    for (const image of images) copyFileSync(join(folder, image.name), join(dir, image.name));
    const result = cli(["eval", "--model", model, "--images", dir, "--json"]);
    assert.is(result.status, 0, result.stderr);
    assert.match(result.stderr, /warning: none of the 3 images has a label/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a mistyped option gets the closest one of its command; usage errors are two lines pointing to the command's help", () => {
  const typo = cli(["classify", "--modle", "m.tflite", "x.jpg"]);
  assert.is(typo.status, 2);
  assert.is(typo.stderr, 'quantlite: unknown option --modle for classify; did you mean --model?\nRun "quantlite classify --help" for usage.\n');
  const unknown = cli(["inspect", "--frobnicate"]);
  assert.is(unknown.status, 2);
  assert.is(unknown.stderr.split("\n").length, 3, unknown.stderr);
  assert.not.match(unknown.stderr, /did you mean/);
});

test("output paths are checked before any work, written whole; a float model to dequantize is an error", () => {
  const model = dataPath("models/mobilenet_v2_1.0_224_quant.tflite");
  const float = dataPath("thirdparty/mlcommons-tiny/model_ToyCar.tflite");
  if (!model || !float) return;
  const dir = mkdtempSync(join(tmpdir(), "quantlite-out-"));
  try {
    for (const args of [
      ["quantize", "--model", float, "--calibration", dir, "--out", "/nonexistent/x.tflite"],
      ["eval", "--model", model, "--images", dir, "--html", "/nonexistent/r.html"],
      ["run", "--model", model, "--input", model, "--output", "/nonexistent/o.bin"],
      ["dequantize", "--model", model, "--out", dir],
    ]) {
      const result = cli(args);
      assert.is(result.status, 1, `${args[0]}: ${result.stderr}`);
      assert.match(result.stderr, /^quantlite: cannot write --\S+ \S+: (ENOENT for its folder|it is a folder)\n$/, `${args[0]}: ${result.stderr}`);
    }
    const out = join(dir, "float.tflite");
    const dequantized = cli(["dequantize", "--model", model, "--out", out]);
    assert.is(dequantized.status, 0, dequantized.stderr);
    assert.ok(existsSync(out));
    assert.equal(readdirSync(dir), ["float.tflite"], "no temporary file left");
    const again = cli(["dequantize", "--model", out, "--out", join(dir, "again.tflite")]);
    assert.is(again.status, 1);
    assert.match(again.stderr, /already a float model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("classify reads - from standard input; a bad image is one line on stderr and exit 1, results on stdout", () => {
  const model = dataPath("models/mobilenet_v2_1.0_224_quant.tflite");
  const photo = dataPath("images/samples/grace_hopper.bmp");
  if (!model || !photo) return;
  const dir = mkdtempSync(join(tmpdir(), "quantlite-stdin-"));
  try {
    const bad = join(dir, "bad.jpg");
    copyFileSync(model, bad);
    const result = cli(["classify", "--model", model, "-", bad], readFileSync(photo));
    assert.is(result.status, 1);
    assert.match(result.stdout, /^\(standard input\)\n  1\. /);
    assert.not.match(result.stdout, /bad\.jpg/);
    assert.is(result.stderr.trim().split("\n").length, 1, result.stderr);
    assert.match(result.stderr, /^quantlite: .*bad\.jpg: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

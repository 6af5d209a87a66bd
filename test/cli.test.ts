// The command line's own behaviour, apart from what each command computes: help for every
// command, the version, and short usage errors with a suggestion.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadImageSet } from "../js/node.js";
import { dataPath } from "./data.js";

const CLI = new URL("../js/cli.js", import.meta.url).pathname;
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

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

test.run();

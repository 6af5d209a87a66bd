// Progressive block smoothing (js/preprocess/jpeg/smoothing.ts, assembly/jpeg/smoothing.ts):
// progressive files whose low-frequency AC coefficients are not fully refined, above all files
// cut short, decoded at every scale M/8 must be byte-identical to `djpeg -dct int -scale M/8`
// (which smooths by default, warns about the truncation and still writes its output).
// Files are made at test time: cjpeg (4:2:0, 4:2:2, 4:4:4, grayscale; shared ImageNet pictures
// and small synthetic ones of odd sizes), then `jpegtran -progressive`, or cjpeg -progressive with
// -scans scripts that leave bits unrefined, send only some coefficients, or send the DC alone;
// each cut at several points.
// cjpeg/djpeg/jpegtran (libjpeg-turbo-progs) missing: skipped with a message, or fail with CI=true.
import { jpegToolsAvailable, runTool } from "./jpeg-corpus.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ImageError } from "../js/errors.js";
import { decodeImageToPnm } from "../js/preprocess/pnm.js";
import { dataPath } from "./data.js";
import { Rng } from "./random.js";


/** A picture with gradients, edges and noise. */
function picture(width: number, height: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const head = new TextEncoder().encode(`P6\n${width} ${height}\n255\n`);
  const out = new Uint8Array(head.length + width * height * 3);
  out.set(head);
  let i = head.length;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const ramp = (x * (7 + c) + y * (5 - c)) & 0xff;
        const edge = (x >> 3) % 2 === (y >> 4) % 2 ? 50 : 0;
        out[i++] = Math.max(0, Math.min(255, (ramp >> 1) + edge + rng.int(-12, 12)));
      }
    }
  }
  return out;
}

const SAMPLINGS: Record<string, string[]> = {
  "4:2:0": ["-sample", "2x2"],
  "4:2:2": ["-sample", "2x1"],
  "4:4:4": ["-sample", "1x1"],
  gray: ["-grayscale"],
};

/** cjpeg -scans scripts (`c` lists the components): unrefined bits, unsent coefficients, DC only. */
const SCRIPTS: Record<string, (gray: boolean) => string> = {
  unrefined: (gray) =>
    gray
      ? "0: 0-0, 0, 1; 0: 1-5, 0, 2; 0: 6-63, 0, 1; 0: 1-5, 2, 1;"
      : "0,1,2: 0-0, 0, 1; 0: 1-5, 0, 2; 2: 1-63, 0, 1; 1: 1-63, 0, 1; 0: 6-63, 0, 2; 0: 1-63, 2, 1;",
  "some coefficients": (gray) =>
    gray ? "0: 0-0, 0, 0; 0: 1-2, 0, 0;" : "0,1,2: 0-0, 0, 0; 0: 1-2, 0, 0; 1: 1-2, 0, 0; 2: 1-2, 0, 0;",
  "DC only": (gray) => (gray ? "0: 0-0, 0, 0;" : "0,1,2: 0-0, 0, 0;"),
};

interface Progressive {
  name: string;
  bytes: Uint8Array;
}

/** The progressive variants of one picture in one sampling. */
function progressiveFiles(ppm: Uint8Array, what: string, sampling: string, dir: string, scripts: string[]): Progressive[] {
  const options = ["-quality", "88", ...SAMPLINGS[sampling]];
  const baseline = runTool("cjpeg", options, ppm);
  const files = [{ name: `${what} ${sampling} jpegtran -progressive`, bytes: runTool("jpegtran", ["-progressive"], baseline) }];
  for (const script of scripts) {
    const path = join(dir, "scans.txt");
    writeFileSync(path, SCRIPTS[script](sampling === "gray"));
    files.push({ name: `${what} ${sampling} scans "${script}"`, bytes: runTool("cjpeg", [...options, "-progressive", "-scans", path], ppm) });
  }
  return files;
}

interface Tally {
  identical: number;
  cases: number;
  refused: number;
  differing: string[];
}

/**
 * Cut points of a file: the middle of the entropy-coded data of up to `count` of its scans, spread
 * over them (so every cut ends inside a scan), and the whole file.
 */
function cutPoints(bytes: Uint8Array, count: number): number[] {
  const middles: number[] = [];
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] !== 0xff || bytes[i + 1] !== 0xda) continue;
    const start = i + 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
    let end = start;
    while (end + 1 < bytes.length && !(bytes[end] === 0xff && bytes[end + 1] !== 0 && (bytes[end + 1] < 0xd0 || bytes[end + 1] > 0xd7))) end++;
    middles.push((start + end) >> 1);
    i = end - 1;
  }
  const step = Math.max(1, middles.length / count);
  const cuts: number[] = [];
  for (let k = 0; k < middles.length; k += step) cuts.push(middles[Math.floor(k)]);
  return [...cuts, bytes.length];
}

/** `file` cut at up to `count` points, at every scale, against djpeg. */
function compare(file: Progressive, count: number, tally: Tally): void {
  for (const cut of cutPoints(file.bytes, count)) {
    const bytes = file.bytes.subarray(0, cut);
    for (let m = 1; m <= 8; m++) {
      const what = `${file.name} cut ${cut} scale ${m}/8`;
      const djpeg = spawnSync("djpeg", ["-dct", "int", "-scale", `${m}/8`], { input: bytes, maxBuffer: 1 << 28 });
      // 0: clean; 2: warnings (corrupt or truncated data), output written anyway
      if (djpeg.status !== 0 && djpeg.status !== 2) {
        assert.throws(() => decodeImageToPnm(bytes, { scale: m / 8, orientation: "ignore", onWarning: () => {} }), (e: unknown) => e instanceof ImageError, `${what}: djpeg refuses it`);
        tally.refused++;
        continue;
      }
      const expected = new Uint8Array(djpeg.stdout);
      const ours = decodeImageToPnm(bytes, { scale: m / 8, orientation: "ignore", onWarning: () => {} });
      tally.cases++;
      if (ours.length === expected.length && Buffer.compare(Buffer.from(ours), Buffer.from(expected)) === 0) tally.identical++;
      else tally.differing.push(what);
    }
  }
}

function report(what: string, tally: Tally): void {
  console.log(`  ${what}: ${tally.identical} of ${tally.cases} (file cut x scale) identical to djpeg, ${tally.refused} refused by both`);
  assert.equal(tally.differing.slice(0, 8), [], `${tally.differing.length} differ from djpeg`);
}

test("truncated progressive ImageNet pictures decode as djpeg at every scale", () => {
  if (!jpegToolsAvailable("progressive block smoothing")) return;
  const sources = ["imagenet-sample/n01440764_tench.JPEG", "imagenet-sample/n02097474_Tibetan_terrier.JPEG"].map(dataPath);
  if (sources.includes(null)) return;
  const dir = mkdtempSync(join(tmpdir(), "jpeg-smoothing-"));
  const tally: Tally = { identical: 0, cases: 0, refused: 0, differing: [] };
  try {
    sources.forEach((path, i) => {
      // the second picture at half size: other dimensions, other block counts
      const ppm = runTool("djpeg", i === 0 ? [] : ["-scale", "1/2"], new Uint8Array(readFileSync(path!)));
      const samplings = i === 0 ? Object.keys(SAMPLINGS) : ["4:2:0", "gray"];
      const scripts = i === 0 ? ["unrefined"] : ["some coefficients", "DC only"];
      for (const sampling of samplings) {
        for (const file of progressiveFiles(ppm, `picture ${i}`, sampling, dir, scripts)) compare(file, 3, tally);
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report("ImageNet", tally);
});

test("truncated progressive pictures of odd sizes decode as djpeg at every scale", () => {
  if (!jpegToolsAvailable("progressive block smoothing")) return;
  const dir = mkdtempSync(join(tmpdir(), "jpeg-smoothing-"));
  const tally: Tally = { identical: 0, cases: 0, refused: 0, differing: [] };
  // 1 to 6 blocks across and down: rows of one and two blocks are libjpeg's special cases
  const sizes = [
    [1, 1],
    [13, 9],
    [29, 35],
    [47, 21],
    [9, 70],
  ];
  try {
    sizes.forEach(([width, height], i) => {
      const ppm = picture(width, height, 100 + i);
      Object.keys(SAMPLINGS).forEach((sampling, j) => {
        // one of the four kinds of progressive file in turn
        const kind = (i + j) % 4;
        const files = progressiveFiles(ppm, `${width}x${height}`, sampling, dir, kind === 0 ? [] : [Object.keys(SCRIPTS)[kind - 1]]);
        compare(files[files.length - 1], 2, tally);
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report("odd sizes", tally);
});

test.run();

// `npm run bench -- --profile`: where quantlite's time goes, operator by operator.
// The child side times each step through the public Model.profile(); the parent side adds each
// layer's multiply-accumulates (inspectModel's opMacs), GMAC/s and the fraction of the machine's
// peak, measured by bench/kernels.ts's i32x4.dot_i16x8_s micro-benchmark on the same runtime.
// Nothing here is imported statically by the engines, so cold starts stay cold.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sampleInput } from "./engines.js";

export interface ProfileTask {
  kind: "profile";
  model: string;
  samples: string;
  sampleLength: number;
  /** The sample rows are the model's input bytes (thirdparty NAME.inputs.bin), not uint8 pixels. */
  rawSamples?: boolean;
  repeats: number;
  warmupMs: number;
}

export interface ProfileOp {
  index: number;
  type: string;
  /** Output shape, for reading the table. */
  shape: number[];
  macs: number;
  medianMs: number;
  minMs: number;
}

export interface ProfileResult {
  repeats: number;
  ops: ProfileOp[];
  /** Median of plain run() over the same inputs, to show what timing each step costs. */
  runMedianMs: number;
  /** Median over the repeats of the sum of the step times. */
  profileMedianMs: number;
}

export const median = (xs: ArrayLike<number>): number => {
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Child side: warm up, then `repeats` × (one plain run, one profiled run), cycling the samples. */
export async function profileModel(task: ProfileTask): Promise<ProfileResult> {
  const { Model, inspectModel } = await import("../js/index.js");
  const bytes = new Uint8Array(readFileSync(task.model));
  const model = await Model.load(bytes);
  const summary = inspectModel(bytes);
  const samples = new Uint8Array(readFileSync(task.samples));
  const count = Math.floor(samples.length / task.sampleLength);
  const inputs = Array.from({ length: count }, (_, k) => sampleInput(samples, k, task.sampleLength, model.inputs[0].dtype, task.rawSamples));
  const warmStart = performance.now();
  for (let i = 0; i < 2 || performance.now() - warmStart < task.warmupMs; i++) model.run(inputs[i % count]);
  const runTimes: number[] = [];
  const perOp: number[][] = model.ops.map(() => []);
  const totals: number[] = [];
  for (let r = 0; r < task.repeats; r++) {
    const input = inputs[r % count];
    const t = performance.now();
    model.run(input);
    runTimes.push(performance.now() - t);
    const steps = model.profile([input]);
    steps.forEach((s, k) => perOp[k].push(s.ms));
    totals.push(steps.reduce((a, s) => a + s.ms, 0));
  }
  const byIndex = new Map(summary.ops.map((op) => [op.index, op]));
  return {
    repeats: task.repeats,
    ops: model.ops.map((op, k) => ({
      index: op.index, type: op.type, shape: byIndex.get(op.index)?.outputShape ?? [], macs: byIndex.get(op.index)?.macs ?? 0,
      medianMs: median(perOp[k]), minMs: Math.min(...perOp[k]),
    })),
    runMedianMs: median(runTimes),
    profileMedianMs: median(totals),
  };
}

/**
 * The i32x4.dot_i16x8_s rate with operands in registers, in GMAC/s, from bench/kernels.ts run
 * with a filter that matches no layer (it then prints only its peak row). null if it fails.
 */
export function measurePeak(node: string): number | null {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "kernels.js");
  const r = spawnSync(node, [script, "--peak-only--"], { encoding: "utf8", timeout: 60_000 });
  const m = /dot_i16x8_s[^\n]*?([\d.]+) GMAC\/s/.exec(r.stdout ?? "");
  return m ? Number(m[1]) : null;
}

export interface RuntimeProfile {
  runtime: string;
  peakGmacs: number | null;
  result: ProfileResult;
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : "");

/** One table per model: ops in execution order with each runtime's ms, GMAC/s and % of peak; then totals by op type. */
export function formatProfile(model: string, totalMacs: number, runs: RuntimeProfile[]): string {
  const lines: string[] = [];
  const peaks = runs.map((r) => `${r.runtime}: ${r.peakGmacs === null ? "n/a" : `${r.peakGmacs.toFixed(1)} GMAC/s`}`).join(", ");
  lines.push(`\nprofile: ${model} (${(totalMacs / 1e6).toFixed(1)} M MACs; dot_i16x8_s peak ${peaks})`);
  const head = ["#", "op", "output", "MMAC"];
  for (const r of runs) head.push(`ms ${r.runtime}`, "GMAC/s", "% peak", "% time");
  const rows: string[][] = [head];
  const first = runs[0].result.ops;
  first.forEach((op, k) => {
    const row = [String(op.index), op.type, op.shape.join("x"), op.macs ? (op.macs / 1e6).toFixed(1) : ""];
    for (const r of runs) {
      const o = r.result.ops[k];
      const total = r.result.ops.reduce((a, x) => a + x.medianMs, 0);
      const gmacs = o.macs ? o.macs / o.medianMs / 1e6 : NaN;
      row.push(fmt(o.medianMs, 3), fmt(gmacs, 1), r.peakGmacs && o.macs ? fmt((100 * gmacs) / r.peakGmacs, 0) : "", fmt((100 * o.medianMs) / total, 1));
    }
    rows.push(row);
  });
  // totals by op type
  const types = [...new Set(first.map((o) => o.type))];
  rows.push(head.map(() => ""));
  for (const type of [...types, "all"]) {
    const pick = (ops: ProfileOp[]) => ops.filter((o) => type === "all" || o.type === type);
    const macs = pick(first).reduce((a, o) => a + o.macs, 0);
    const row = [type === "all" ? "" : String(pick(first).length), type === "all" ? "total (sum of steps)" : `${type} (all)`, "", macs ? (macs / 1e6).toFixed(1) : ""];
    for (const r of runs) {
      const total = r.result.ops.reduce((a, x) => a + x.medianMs, 0);
      const ms = pick(r.result.ops).reduce((a, o) => a + o.medianMs, 0);
      const gmacs = macs ? macs / ms / 1e6 : NaN;
      row.push(fmt(ms, 3), fmt(gmacs, 1), r.peakGmacs && macs ? fmt((100 * gmacs) / r.peakGmacs, 0) : "", fmt((100 * ms) / total, 1));
    }
    rows.push(row);
  }
  lines.push(formatTable(rows, [1, 2]));
  const overPeak = runs.some((r) => r.peakGmacs !== null && r.result.ops.some((o) => o.macs && o.macs / o.medianMs / 1e6 > r.peakGmacs!));
  if (overPeak) {
    lines.push("% peak above 100: that layer beats the micro-benchmark, which then under-measures the instruction's peak (V8 spills its registers).");
  }
  for (const r of runs) {
    lines.push(`${r.runtime}: plain run() median ${r.result.runMedianMs.toFixed(2)} ms, profiled sum median ${r.result.profileMedianMs.toFixed(2)} ms (${r.result.repeats} repeats)`);
  }
  return lines.join("\n");
}

/** Aligns a table: text columns (by index) left, the rest right. */
export function formatTable(rows: string[][], leftColumns: number[] = [0]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) => r.map((cell, i) => (leftColumns.includes(i) ? (cell ?? "").padEnd(widths[i]) : (cell ?? "").padStart(widths[i]))).join("  ").trimEnd())
    .join("\n");
}

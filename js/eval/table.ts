// The evaluation result as plain-text tables for a terminal.
import type { EvalResult } from "./evaluate.js";

const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(2)} %` : "–");
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : "–");

/** Left-aligned first column, right-aligned others, columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

function short(name: string): string {
  const first = name.split(";")[0];
  return first.length > 70 ? `${first.slice(0, 69)}…` : first;
}

export function formatEval(result: EvalResult, options: { perLayerRows?: number } = {}): string {
  const out: string[] = [];
  const engines = [...new Set(result.models.flatMap((m) => m.engines.map((e) => e.engine)))];
  out.push(`${result.images} images (${result.labelled} labelled)${result.skipped.length ? `, ${result.skipped.length} skipped` : ""}, ${result.seconds.toFixed(1)} s`);
  out.push("");
  out.push(formatTable(
    ["model", "input", "bytes", "top-1", "top-5", "quantlite ms", ...engines.map((e) => `${e} ms`)],
    result.models.map((m) => [
      m.name, m.inputType, m.fileBytes.toLocaleString("en-US"), `${m.top1}/${m.labelled} ${pct(m.top1, m.labelled)}`,
      `${m.top5}/${m.labelled} ${pct(m.top5, m.labelled)}`, ms(m.latency.medianMs),
      ...engines.map((name) => ms(m.engines.find((e) => e.engine === name)?.latency.medianMs ?? NaN)),
    ]),
  ));
  if (result.models.length > 1) {
    out.push("");
    out.push("top-1 agreement");
    out.push(formatTable(
      ["", ...result.models.map((_, j) => `#${j + 1}`)],
      result.agreement.map((row, i) => [`#${i + 1} ${result.models[i].name}`, ...row.map((v) => pct(v, result.images))]),
    ));
  }
  for (const name of engines) {
    out.push("");
    out.push(`${name} on the same files`);
    out.push(formatTable(
      ["model", "top-1", "top-1 = quantlite's", "counting ties", "identical outputs", "max output diff"],
      result.models.flatMap((m) => m.engines.filter((e) => e.engine === name).map((e) => [
        m.name, `${e.top1}/${m.labelled}`, `${e.top1AgreementWithQuantlite}/${result.images} ${pct(e.top1AgreementWithQuantlite, result.images)}`,
        `${e.top1AgreementCountingTies}/${result.images}`,
        String(e.identicalOutputs), m.outputType === "float32" ? e.maxOutputDifference.toPrecision(4) : String(e.maxOutputDifference),
      ])),
    ));
  }
  for (const r of result.perLayer) {
    out.push("");
    out.push(`per layer: ${r.target} vs ${r.reference} (${r.layers.length} tensors matched by ${r.matchedBy}, ${r.images} images)`);
    const limit = options.perLayerRows ?? Infinity;
    const layers = r.layers.map((l) => ({ ...l, i: l.position }));
    const shown = Number.isFinite(limit) ? [...layers].sort((a, b) => a.sqnrDb - b.sqnrDb).slice(0, limit).sort((a, b) => a.i - b.i) : layers;
    out.push(formatTable(
      ["#", "op", "SQNR dB", "max err steps", "tensor"],
      shown.map((l) => [String(l.i), l.opType, Number.isFinite(l.sqnrDb) ? l.sqnrDb.toFixed(1) : "inf", l.maxErrorSteps.toFixed(2), short(l.name)]),
    ));
  }
  return out.join("\n");
}

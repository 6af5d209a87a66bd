// The evaluation report as one self-contained HTML page: no scripts, no external resources;
// charts are inline SVG drawn here (accuracy, size, latency bars; per-layer SQNR lines).
import type { EvalResult, PerLayerResult } from "./evaluate.js";

export interface HtmlOptions {
  title?: string;
  /** Paragraphs shown under the title (plain text). */
  notes?: string[];
  /** Extra sections (title and trusted HTML), placed before the model tables. */
  sections?: { title: string; html: string }[];
  /** When the report was made (default now). */
  date?: Date;
}

const COLORS = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00", "#b82e2e", "#316395"];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const pct = (n: number, d: number) => (d > 0 ? (100 * n) / d : NaN);
const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : v === Infinity ? "∞" : "–");

export interface BarSeries {
  name: string;
  values: number[];
}

/** Axis ticks at round values: a step of 1, 2, 2.5 or 5 × 10^k giving about four intervals up to ≥ max. */
export function roundTicks(max: number): { step: number; top: number; digits: number } {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const mantissa = [1, 2, 2.5, 5, 10].find((m) => m * power >= rough)!;
  const step = mantissa * power;
  const powerDigits = -Math.round(Math.log10(power));
  const digits = Math.max(0, powerDigits + (mantissa === 2.5 ? 1 : mantissa === 10 ? -1 : 0));
  return { step, top: Math.ceil(max / step - 1e-9) * step, digits };
}

/** Horizontal grouped bars: one group per category, one bar per series. */
export function barChart(title: string, categories: string[], series: BarSeries[], unit: string, digits = 1): string {
  const barH = 14;
  const gap = 10;
  const labelW = 260;
  const plotW = 420;
  const valueW = 90;
  const groupH = series.length * barH + gap;
  const legendH = series.length > 1 ? 22 : 0;
  const height = legendH + categories.length * groupH + 30;
  const width = labelW + plotW + valueW;
  const ticks = roundTicks(Math.max(1e-12, ...series.flatMap((s) => s.values.filter(Number.isFinite))));
  const max = ticks.top;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`);
  if (series.length > 1) {
    let x = labelW;
    series.forEach((s, k) => {
      parts.push(`<rect x="${x}" y="4" width="12" height="12" fill="${COLORS[k % COLORS.length]}"/><text x="${x + 16}" y="14" class="legend">${escapeHtml(s.name)}</text>`);
      x += 24 + 7 * s.name.length;
    });
  }
  categories.forEach((category, c) => {
    const y0 = legendH + c * groupH;
    parts.push(`<text x="${labelW - 8}" y="${y0 + (series.length * barH) / 2 + 4}" text-anchor="end" class="label">${escapeHtml(truncate(category, 38))}<title>${escapeHtml(category)}</title></text>`);
    series.forEach((s, k) => {
      const v = s.values[c];
      const y = y0 + k * barH;
      const w = Number.isFinite(v) ? Math.max(1, (v / max) * plotW) : 0;
      parts.push(`<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${COLORS[k % COLORS.length]}"><title>${escapeHtml(`${category} — ${s.name}: ${fmt(v, digits)} ${unit}`)}</title></rect>`);
      parts.push(`<text x="${labelW + w + 4}" y="${y + barH - 4}" class="value">${fmt(v, digits)}${unit ? ` ${escapeHtml(unit)}` : ""}</text>`);
    });
  });
  const axisY = legendH + categories.length * groupH;
  parts.push(`<line x1="${labelW}" y1="${axisY}" x2="${labelW + plotW}" y2="${axisY}" class="axis"/>`);
  for (let k = 0; k * ticks.step <= max * (1 + 1e-9); k++) {
    const x = labelW + ((k * ticks.step) / max) * plotW;
    parts.push(`<line x1="${x}" y1="${legendH}" x2="${x}" y2="${axisY}" class="grid"/><text x="${x}" y="${axisY + 14}" text-anchor="middle" class="tick">${(k * ticks.step).toFixed(ticks.digits)}</text>`);
  }
  parts.push("</svg>");
  return `<figure><figcaption>${escapeHtml(title)}</figcaption>${parts.join("")}</figure>`;
}

/** A TFLite tensor name without the ";"-joined aliases the converter appends. */
export function shortName(name: string): string {
  return name.split(";")[0];
}

function truncate(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

/** Per-layer SQNR (dB) of each comparison, one line each, over the layer index. */
export function sqnrChart(results: PerLayerResult[]): string {
  const width = 960;
  const left = 50;
  const right = 20;
  const top = 16 + 16 * results.length;
  const bottom = 40;
  const height = 290 + top;
  const n = Math.max(...results.flatMap((r) => r.layers.map((l) => l.position + 1)), 1);
  const finite = results.flatMap((r) => r.layers.map((l) => l.sqnrDb).filter(Number.isFinite));
  const yMax = Math.ceil(Math.max(10, ...finite) / 10) * 10;
  const yMin = Math.min(0, Math.floor(Math.min(0, ...finite) / 10) * 10);
  const x = (i: number) => left + (n <= 1 ? 0 : (i / (n - 1)) * (width - left - right));
  const y = (v: number) => top + (1 - (Math.min(v, yMax) - yMin) / (yMax - yMin)) * (height - top - bottom);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="per-layer SQNR">`];
  for (let v = yMin; v <= yMax; v += 10) {
    parts.push(`<line x1="${left}" y1="${y(v)}" x2="${width - right}" y2="${y(v)}" class="grid"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" class="tick">${v}</text>`);
  }
  const step = Math.max(1, Math.ceil(n / 20));
  for (let i = 0; i < n; i += step) parts.push(`<text x="${x(i)}" y="${height - bottom + 16}" text-anchor="middle" class="tick">${i}</text>`);
  parts.push(`<text x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle" class="label">layer (op order)</text>`);
  parts.push(`<text x="14" y="${top + (height - top - bottom) / 2}" transform="rotate(-90 14 ${top + (height - top - bottom) / 2})" text-anchor="middle" class="label">SQNR dB</text>`);
  results.forEach((r, k) => {
    const color = COLORS[k % COLORS.length];
    const points = r.layers.map((l) => `${x(l.position).toFixed(1)},${y(Number.isFinite(l.sqnrDb) ? l.sqnrDb : yMax).toFixed(1)}`);
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(" ")}"/>`);
    r.layers.forEach((l) => {
      parts.push(`<circle cx="${x(l.position).toFixed(1)}" cy="${y(Number.isFinite(l.sqnrDb) ? l.sqnrDb : yMax).toFixed(1)}" r="2.5" fill="${color}"><title>${escapeHtml(`${l.position} ${l.opType} ${shortName(l.name)}: ${fmt(l.sqnrDb)} dB, max error ${fmt(l.maxErrorSteps, 2)} steps`)}</title></circle>`);
    });
    parts.push(`<text x="${left + 10}" y="${14 + 16 * k}" class="legend" style="fill:${color}">■ ${escapeHtml(`${r.target} vs ${r.reference}`)}</text>`);
  });
  parts.push("</svg>");
  return `<figure><figcaption>Per-layer SQNR: float model vs quantized model, same inputs (higher is better)</figcaption>${parts.join("")}</figure>`;
}

/** The full report page. */
export function renderHtml(result: EvalResult, options: HtmlOptions = {}): string {
  const title = options.title ?? "quantlite evaluation";
  const models = result.models;
  const names = models.map((m) => m.name);
  const engines = [...new Set(models.flatMap((m) => m.engines.map((e) => e.engine)))];
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(title)}</h1>`);
  body.push(`<p class="meta">${result.images} images (${result.labelled} labelled)${result.skipped.length ? `, ${result.skipped.length} skipped` : ""}; ${fmt(result.seconds, 1)} s; ${escapeHtml((options.date ?? new Date()).toISOString())}</p>`);
  for (const note of options.notes ?? []) body.push(`<p>${escapeHtml(note)}</p>`);
  for (const section of options.sections ?? []) body.push(`<h2>${escapeHtml(section.title)}</h2>${section.html}`);

  body.push("<h2>Accuracy</h2>");
  const accuracySeries: BarSeries[] = [
    { name: "top-1 %", values: models.map((m) => pct(m.top1, m.labelled)) },
    { name: "top-5 %", values: models.map((m) => pct(m.top5, m.labelled)) },
  ];
  body.push(barChart("Top-1 and top-5 accuracy (quantlite)", names, accuracySeries, "%"));
  const rows = models.map((m) => {
    const cells = [
      escapeHtml(m.name), m.inputType, m.outputType, String(m.classes), m.fileBytes.toLocaleString("en-US"),
      `${m.top1}/${m.labelled} (${fmt(pct(m.top1, m.labelled), 2)} %)`, `${m.top5}/${m.labelled} (${fmt(pct(m.top5, m.labelled), 2)} %)`,
      fmt(m.latency.medianMs, 2),
      ...engines.map((name) => {
        const e = m.engines.find((x) => x.engine === name);
        return e ? fmt(e.latency.medianMs, 2) : "–";
      }),
    ];
    return `<tr>${cells.map((c, i) => `<td${i > 2 ? ' class="num"' : ""}>${c}</td>`).join("")}</tr>`;
  });
  body.push(`<div class="wide"><table><thead><tr><th>model</th><th>input</th><th>output</th><th>classes</th><th>file bytes</th><th>top-1</th><th>top-5</th><th>quantlite ms</th>${engines.map((e) => `<th>${escapeHtml(e)} ms</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>`);
  body.push("<h3>Top-1 agreement between models</h3>");
  body.push(`<div class="wide"><table><thead><tr><th></th>${names.map((n) => `<th>${escapeHtml(truncate(n, 30))}</th>`).join("")}</tr></thead><tbody>${
    result.agreement.map((row, i) => `<tr><th>${escapeHtml(truncate(names[i], 40))}</th>${row.map((v) => `<td class="num">${v}/${result.images} (${fmt(pct(v, result.images), 1)} %)</td>`).join("")}</tr>`).join("")
  }</tbody></table></div>`);

  body.push("<h2>Speed and size</h2>");
  const latencySeries: BarSeries[] = [{ name: "quantlite", values: models.map((m) => m.latency.medianMs) }];
  for (const name of engines) latencySeries.push({ name, values: models.map((m) => m.engines.find((e) => e.engine === name)?.latency.medianMs ?? NaN) });
  body.push(barChart("Median latency per inference (ms, lower is better)", names, latencySeries, "ms", 2));
  body.push(barChart("File size (KiB)", names, [{ name: "size", values: models.map((m) => m.fileBytes / 1024) }], "KiB", 0));

  if (engines.length > 0) {
    body.push("<h2>Other runtimes on the same files</h2>");
    const engineRows = models.flatMap((m) => m.engines.map((e) => `<tr><td>${escapeHtml(m.name)}</td><td>${escapeHtml(e.engine)}</td><td class="num">${e.top1}/${m.labelled}</td><td class="num">${e.top5}/${m.labelled}</td><td class="num">${e.top1AgreementWithQuantlite}/${result.images} (${fmt(pct(e.top1AgreementWithQuantlite, result.images), 2)} %)</td><td class="num">${e.top1AgreementCountingTies}/${result.images}</td><td class="num">${e.identicalOutputs}</td><td class="num">${fmt(e.maxOutputDifference, m.outputType === "float32" ? 4 : 0)}</td><td class="num">${fmt(e.latency.medianMs, 2)}</td></tr>`));
    body.push(`<div class="wide"><table><thead><tr><th>model</th><th>runtime</th><th>top-1</th><th>top-5</th><th>top-1 = quantlite's</th><th>… counting ties</th><th>identical outputs</th><th>max output difference</th><th>median ms</th></tr></thead><tbody>${engineRows.join("")}</tbody></table></div>`);
  }

  if (result.perLayer.length > 0) {
    body.push("<h2>Per-layer comparison</h2>");
    body.push(sqnrChart(result.perLayer));
    for (const r of result.perLayer) {
      const worst = [...r.layers].sort((a, b) => a.sqnrDb - b.sqnrDb).slice(0, 3).map((l) => `${escapeHtml(truncate(shortName(l.name), 50))} (${fmt(l.sqnrDb)} dB)`);
      body.push(`<details><summary>${escapeHtml(r.target)} vs ${escapeHtml(r.reference)}: ${r.layers.length} tensors matched by ${r.matchedBy}, ${r.images} images; lowest SQNR: ${worst.join(", ")}</summary>`);
      body.push(`<div class="wide"><table><thead><tr><th>#</th><th>op</th><th>tensor</th><th>SQNR dB</th><th>max error (steps)</th><th>mean error (steps)</th><th>scale</th><th>zero point</th></tr></thead><tbody>${
        r.layers.map((l) => `<tr><td class="num">${l.position}</td><td>${l.opType}</td><td class="name" title="${escapeHtml(l.name)}">${escapeHtml(shortName(l.name))}</td><td class="num">${fmt(l.sqnrDb, 1)}</td><td class="num">${fmt(l.maxErrorSteps, 2)}</td><td class="num">${fmt(l.meanErrorSteps, 3)}</td><td class="num">${l.scale.toPrecision(6)}</td><td class="num">${l.zeroPoint}</td></tr>`).join("")
      }</tbody></table></div></details>`);
    }
  }
  if (result.skipped.length > 0) {
    body.push(`<h2>Skipped images</h2><ul>${result.skipped.map((s) => `<li>${escapeHtml(s.name)}: ${escapeHtml(s.reason)}</li>`).join("")}</ul>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#222;padding:0 12px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}td.name{word-break:break-all;max-width:420px}@media (max-width:600px){body{margin:12px auto;padding:0 8px}td,th{padding:2px 4px}}
.meta{color:#666}figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
svg{max-width:100%;height:auto}.wide{overflow-x:auto}svg text{font:11px system-ui,sans-serif;fill:#333}svg .tick{fill:#777}svg .axis{stroke:#999}svg .grid{stroke:#eee}
details{margin:8px 0}summary{cursor:pointer}
</style></head><body>
${body.join("\n")}
</body></html>
`;
}

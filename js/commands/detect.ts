// quantlite detect: objects in images through an SSD model (js/detect.ts).
import { parseArgs } from "node:util";
import { detect } from "../detect.js";
import { Model } from "../model.js";
import { forEachImage, imageTitle, positiveInteger, readBytes, UsageError } from "./common.js";

export const DETECT_USAGE = `quantlite detect --model M [--labels L] [--score-threshold X] [--max-results N]
                   [--orientation exif|ignore] [--json] IMAGE...`;

export async function detectCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      model: { type: "string" }, labels: { type: "string" }, "score-threshold": { type: "string" }, "max-results": { type: "string" },
      orientation: { type: "string" }, json: { type: "boolean" },
    },
  });
  if (!values.model) throw new UsageError("--model is required");
  if (positionals.length === 0) throw new UsageError("detect needs at least one image");
  const maxResults = positiveInteger(values["max-results"], "--max-results");
  const thresholdText = values["score-threshold"];
  const scoreThreshold = thresholdText === undefined ? undefined : Number(thresholdText);
  if (scoreThreshold !== undefined && (thresholdText!.trim() === "" || Number.isNaN(scoreThreshold))) {
    throw new UsageError(`--score-threshold must be a number, got "${thresholdText}"`);
  }
  const orientation = values.orientation ?? "exif";
  if (orientation !== "exif" && orientation !== "ignore") throw new UsageError(`--orientation takes exif or ignore, got "${orientation}"`);
  const model = await Model.load(readBytes(values.model));
  const labels = values.labels === undefined ? undefined : new TextDecoder().decode(readBytes(values.labels));
  const outcomes = forEachImage(positionals, (bytes) => detect(model, bytes, { scoreThreshold, maxResults, labels, orientation }));
  if (values.json) {
    console.log(JSON.stringify(outcomes.map((o) => ("value" in o ? { image: o.image, detections: o.value } : o)), null, 2));
  } else {
    for (const o of outcomes) {
      if (!("value" in o)) continue;
      console.log(imageTitle(o.image));
      if (o.value.length === 0) console.log("  (nothing found)");
      for (const d of o.value) {
        const { x, y, width, height } = d.box;
        console.log(`  ${(d.label ?? `class ${d.index}`).padEnd(24)} ${d.score.toFixed(4)}  x ${x} y ${y} w ${width} h ${height}`);
      }
    }
  }
}

// quantlite eval: accuracy, agreement, latency and size of models on labelled images, with an
// optional per-layer comparison of a float model and a quantized one; table, JSON or HTML.
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { evaluate } from "../eval/evaluate.js";
import { renderHtml } from "../eval/html.js";
import { formatEval } from "../eval/table.js";
import { checkWritable, nonNegativeInteger, numberList, positiveInteger, readBytes, UsageError, writeFileAtomic } from "./common.js";
import { loadImageSet } from "./images.js";
import { Progress } from "./progress.js";

export const EVAL_USAGE =
  "quantlite eval --model A [--model B ...] --images DIR|LIST [--count N] [--skip N] [--labels FILE]\n" +
  "               [--per-layer] [--per-layer-count N] [--mean M] [--std S] [--crop F] [--json] [--html FILE]";

export async function evalCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string", multiple: true }, images: { type: "string" }, count: { type: "string" }, skip: { type: "string" },
      labels: { type: "string" }, "per-layer": { type: "boolean" }, "per-layer-count": { type: "string" },
      mean: { type: "string" }, std: { type: "string" }, crop: { type: "string" }, json: { type: "boolean" }, html: { type: "string" },
    },
  });
  const modelPaths = values.model ?? [];
  if (modelPaths.length === 0) throw new UsageError("eval needs at least one --model");
  if (!values.images) throw new UsageError("eval needs --images (a folder of images or a file listing them)");
  const skip = nonNegativeInteger(values.skip, "--skip") ?? 0;
  const count = positiveInteger(values.count, "--count");
  const crop = values.crop === undefined ? undefined : Number(values.crop);
  if (crop !== undefined && !(crop > 0 && crop <= 1)) throw new UsageError(`--crop must be in (0, 1], got ${values.crop}`);
  if (values.html) checkWritable(values.html, "--html");
  const { images, labels, found } = loadImageSet(values.images, { labels: values.labels, skip, count });
  if (images.length === 0) throw new UsageError(`no images to evaluate in ${values.images} (${found} found, --skip ${skip})`);
  if (images.every((image) => image.label === null)) {
    console.error(`quantlite: warning: none of the ${images.length} images has a label (${labels.description}): top-1 and top-5 cannot be measured, only agreement, latency and size`);
  }
  const models = modelPaths.map((path) => ({ name: basename(path), bytes: readBytes(path) }));
  const progress = new Progress("evaluating", images.length);
  const result = await evaluate(models, images, {
    mean: numberList(values.mean, "--mean"), std: numberList(values.std, "--std"), crop,
    perLayer: values["per-layer"] ?? false, perLayerImages: positiveInteger(values["per-layer-count"], "--per-layer-count"),
    onProgress: (done) => progress.update(done),
    onWarning: (message) => progress.note(`quantlite: warning: ${message}`),
  });
  progress.finish();
  if (values.html) {
    writeFileAtomic(values.html, renderHtml(result, {
      title: `quantlite eval: ${models.map((m) => m.name).join(", ")}`,
      notes: [`Images: ${values.images}, ${images.length} files from #${skip}. Labels: ${labels.description}.`],
    }));
  }
  if (values.json) {
    console.log(JSON.stringify(result, (_, v) => (v === Infinity ? "Infinity" : v), 2));
  } else {
    console.log(formatEval(result, { perLayerRows: 12 }));
    if (values.html) console.log(`\nreport: ${values.html}`);
  }
}

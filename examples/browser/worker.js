// The example's Worker: it loads the model and classifies each image it is sent, so that decoding
// a 12 MP photo and running the model never hold up the page. A module Worker cannot use the
// page's import map, so it imports the browser bundle by the URL serve.mjs gives it.
//   page → worker: { type: "load", name, url } or { type: "load", name, file }   (a File, not copied)
//                  { type: "classify", id, image }                                 (a File or Blob)
//   worker → page: { type: "ready" }, { type: "model", name, summary }, { type: "result", id, top, ms },
//                  { type: "error", about: "model" | "image", id?, message }
import { Model, QuantliteError, classifyAsync } from "/quantlite/quantlite.js";

let model = null; // the loaded model (a new load disposes the previous one)

const describe = (error) => (error instanceof QuantliteError ? `${error.name}: ${error.message}` : String(error?.message ?? error));

async function modelBytes({ url, file }) {
  if (file) return new Uint8Array(await file.arrayBuffer());
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function load(message) {
  try {
    const bytes = await modelBytes(message);
    const started = performance.now();
    const next = await Model.load(bytes);
    const ms = performance.now() - started;
    model?.dispose();
    model = next;
    const input = model.inputs[0];
    const summary =
      `${message.name}: ${(bytes.length / 1e6).toFixed(1)} MB, ${model.ops.length} operators, input ${input.dtype} [${input.shape}], ` +
      `${model.outputs[0].shape.at(-1)} classes${model.labels ? " (labels in the model)" : ""}; loaded in ${ms.toFixed(0)} ms`;
    postMessage({ type: "model", name: message.name, summary });
  } catch (error) {
    postMessage({ type: "error", about: "model", message: describe(error) });
  }
}

async function classify({ id, image }) {
  try {
    if (!model) throw new Error("Load a model first.");
    const started = performance.now();
    // Decode (JPEG, PNG, BMP: quantlite's decoder; WebP, GIF, AVIF…: the browser's), central
    // crop, resize, inference; labels from the model.
    const top = await classifyAsync(model, image, { top: 5 });
    const ms = performance.now() - started;
    postMessage({ type: "result", id, ms, top: top.map(({ index, label, score }) => ({ index, label: label ?? `class ${index}`, score })) });
  } catch (error) {
    postMessage({ type: "error", about: "image", id, message: describe(error) });
  }
}

// One message at a time, in order: an image sent after a model is classified with that model.
let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  queue = queue.then(() => (data.type === "load" ? load(data) : classify(data)));
};
postMessage({ type: "ready" });

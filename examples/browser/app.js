// The browser example: load a .tflite model (URL or file), classify a chosen or dropped image,
// show the top 5 as bars with the time each step took. Everything runs in this page.
import { Model, QuantliteError, imageToInput, labelResolver, outputScores, topK } from "quantlite";

const $ = (id) => document.getElementById(id);
let model = null; // the loaded model (a new load disposes the previous one)
let lastImage = null; // bytes of the last image, re-classified when the model changes

function showError(error) {
  const box = $("error");
  box.hidden = error === null;
  box.textContent = error === null ? "" : error instanceof QuantliteError ? `${error.name}: ${error.message}` : String(error?.message ?? error);
}

async function loadModel(name, getBytes) {
  showError(null);
  $("model-status").textContent = `Loading ${name}…`;
  try {
    const bytes = await getBytes();
    const started = performance.now();
    const next = await Model.load(bytes);
    const ms = performance.now() - started;
    model?.dispose();
    model = next;
    const input = model.inputs[0];
    $("model-status").textContent = `${name}: ${(bytes.length / 1e6).toFixed(1)} MB, ${model.ops.length} operators, input ${input.dtype} [${input.shape}], ` +
      `${model.outputs[0].shape.at(-1)} classes${model.labels ? " (labels in the model)" : ""}; loaded in ${ms.toFixed(0)} ms`;
    document.body.dataset.model = name;
    if (lastImage) classifyImage(lastImage);
  } catch (error) {
    $("model-status").textContent = `Could not load ${name}.`;
    showError(error);
  }
}

function classifyImage(bytes) {
  showError(null);
  lastImage = bytes;
  if (!model) {
    $("timing").textContent = "Load a model first.";
    return;
  }
  try {
    const t0 = performance.now();
    const input = imageToInput(model, bytes); // decode, central crop, bilinear resize, input type
    const t1 = performance.now();
    const output = model.run(input);
    const t2 = performance.now();
    const scores = outputScores(model, output);
    const label = labelResolver(model.labels, scores.length); // lines up 1000/1001-class label files
    const top = topK(scores, 5).map((index) => ({ index, label: label(index) ?? `class ${index}`, score: scores[index] }));
    renderResults(top);
    $("timing").textContent = `inference ${(t2 - t1).toFixed(1)} ms · decode + resize ${(t1 - t0).toFixed(1)} ms`;
    document.body.dataset.top = top[0].label;
  } catch (error) {
    $("results").replaceChildren();
    $("timing").textContent = "";
    delete document.body.dataset.top;
    showError(error);
  }
}

function renderResults(top) {
  $("results").replaceChildren(
    ...top.map(({ label, score, index }) => {
      const li = document.createElement("li");
      li.title = `class ${index}`;
      const name = Object.assign(document.createElement("span"), { className: "label", textContent: label });
      const bar = Object.assign(document.createElement("span"), { className: "bar" });
      const fill = document.createElement("span");
      fill.style.width = `${Math.max(0, Math.min(1, score)) * 100}%`;
      bar.append(fill);
      const value = Object.assign(document.createElement("span"), { className: "score", textContent: `${(score * 100).toFixed(1)}%` });
      li.append(name, bar, value);
      return li;
    }),
  );
}

async function takeImage(file) {
  if (!file) return;
  const preview = $("preview");
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.classList.add("shown");
  $("drop-hint").textContent = file.name;
  classifyImage(new Uint8Array(await file.arrayBuffer()));
}

$("model-url-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const url = $("model-url").value.trim() || $("model-url").placeholder;
  $("model-file").value = "";
  loadModel(url.split("/").pop(), async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  });
});
$("model-file").addEventListener("change", (event) => {
  const file = event.target.files[0];
  if (!file) return;
  $("model-url").value = "";
  loadModel(file.name, async () => new Uint8Array(await file.arrayBuffer()));
});
$("image-file").addEventListener("change", (event) => takeImage(event.target.files[0]));
const drop = $("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  takeImage(event.dataTransfer.files[0]);
});

// Offer the models the server has (serve.mjs lists $QUANTLITE_DATA/models at /models/).
fetch("/models/")
  .then((r) => (r.ok ? r.json() : []))
  .then((names) => {
    $("model-list").replaceChildren(...names.map((n) => Object.assign(document.createElement("option"), { value: `/models/${n}` })));
    if (names.length > 0) $("model-url").placeholder = `/models/${names.includes("mobilenet_v2_1.0_224_quant.tflite") ? "mobilenet_v2_1.0_224_quant.tflite" : names[0]}`;
  })
  .catch(() => {});
document.body.dataset.ready = "true";

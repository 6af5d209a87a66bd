// The browser example's page: it only posts the model and the images to worker.js, which loads,
// decodes and classifies off the main thread, and renders what comes back: the image, the top 5
// as bars and the time it took. The page stays responsive with a 12 MP photo.
const $ = (id) => document.getElementById(id);
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let modelLoaded = false;
let lastImage = null; // the last image (a File), classified again when the model changes
let latest = 0; // id of the last image sent: older answers are ignored

function showError(message) {
  const box = $("error");
  box.hidden = message === null;
  box.textContent = message ?? "";
}

function loadModel(name, source) {
  showError(null);
  $("model-status").textContent = `Loading ${name}…`;
  worker.postMessage({ type: "load", name, ...source });
}

function classifyImage(image) {
  showError(null);
  lastImage = image;
  if (!modelLoaded) {
    $("timing").textContent = "Load a model first.";
    return;
  }
  $("timing").textContent = "Classifying…";
  worker.postMessage({ type: "classify", id: ++latest, image });
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

worker.onmessage = ({ data }) => {
  switch (data.type) {
    case "ready":
      document.body.dataset.ready = "true";
      break;
    case "model":
      modelLoaded = true;
      $("model-status").textContent = data.summary;
      document.body.dataset.model = data.name;
      if (lastImage) classifyImage(lastImage);
      break;
    case "result":
      if (data.id !== latest) break;
      renderResults(data.top);
      $("timing").textContent = `decode, resize and inference ${data.ms.toFixed(0)} ms (in a Worker)`;
      document.body.dataset.top = data.top[0].label;
      break;
    case "error":
      if (data.about === "model") $("model-status").textContent = "Could not load the model.";
      else {
        if (data.id !== latest) break;
        $("results").replaceChildren();
        $("timing").textContent = "";
        delete document.body.dataset.top;
      }
      showError(data.message);
      break;
  }
};
worker.onerror = (event) => showError(`the Worker failed: ${event.message ?? "could not start (is dist/browser/quantlite.js built?)"}`);

function takeImage(file) {
  if (!file) return;
  // The preview is the same file, shown by the browser with its EXIF orientation applied, as
  // quantlite's decoder applies it.
  const preview = $("preview");
  if (preview.src) URL.revokeObjectURL(preview.src);
  preview.src = URL.createObjectURL(file);
  preview.classList.add("shown");
  $("drop-hint").textContent = file.name;
  classifyImage(file);
}

$("model-url-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL($("model-url").value.trim() || $("model-url").placeholder, location.href).href;
  $("model-file").value = "";
  loadModel(url.split("/").pop(), { url });
});
$("model-file").addEventListener("change", (event) => {
  const file = event.target.files[0];
  if (!file) return;
  $("model-url").value = "";
  loadModel(file.name, { file });
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

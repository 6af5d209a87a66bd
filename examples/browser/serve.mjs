#!/usr/bin/env node
// A tiny static server for the browser example (no CDN, no bundler):
//   node examples/browser/serve.mjs [--port 8080]      then open http://127.0.0.1:8080/
// It serves this folder (the page), quantlite's browser bundle (dist/browser/, built by
// `npm install` / `npm run build`) under /quantlite/, and the .tflite models and label files of
// $QUANTLITE_DATA/models (default ../shared/models) under /models/ — read-only, listed at /models/.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const models = resolve(process.env.QUANTLITE_DATA ?? join(repo, "../shared"), "models");
const roots = { "/quantlite/": join(repo, "dist/browser"), "/models/": models, "/": here };
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".tflite": "application/octet-stream",
  ".txt": "text/plain; charset=utf-8",
};

function modelList() {
  if (!existsSync(models)) return [];
  return readdirSync(models).filter((f) => f.endsWith(".tflite")).sort();
}

export function createExampleServer() {
  return createServer((request, response) => {
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      response.writeHead(status, { "content-type": type, "cache-control": "no-cache", "x-content-type-options": "nosniff" });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") return send(405, "GET only\n");
    let path;
    try {
      path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    } catch {
      return send(400, "bad path\n");
    }
    if (path === "/models/") return send(200, JSON.stringify(modelList()), types[".json"]);
    if (path === "/") path = "/index.html";
    const [prefix, root] = Object.entries(roots).find(([p]) => path.startsWith(p));
    const file = resolve(root, "." + path.slice(prefix.length - 1));
    const type = types[extname(file)];
    // Only files inside the root, of the types above (no traversal, no serve.mjs).
    if (!file.startsWith(root + sep) || type === undefined) return send(404, "not found\n");
    if (!existsSync(file) || !statSync(file).isFile()) {
      const hint = prefix === "/quantlite/" ? " (run npm run build)" : "";
      return send(404, `not found${hint}\n`);
    }
    send(200, readFileSync(file), type);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const portFlag = process.argv.indexOf("--port");
  const port = Number(portFlag > 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 8080));
  if (!existsSync(join(repo, "dist/browser/quantlite.js"))) console.warn("serve: dist/browser/quantlite.js is missing; run `npm run build` first");
  if (modelList().length === 0) console.warn(`serve: no .tflite models in ${models} (set QUANTLITE_DATA); use the page's file input`);
  const server = createExampleServer();
  server.listen(port, "127.0.0.1", () => {
    console.log(`quantlite browser example: http://127.0.0.1:${server.address().port}/`);
  });
}

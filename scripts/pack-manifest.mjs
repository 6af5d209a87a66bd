// npm pack and npm publish: the tarball's package.json without the `prepare` script.
// `prepare` is what makes `npm install` in a clone build dist/ (README), but npm also lists it as an
// install script of a package installed from a tarball, a URL or a directory (npm 11: "1 package
// has install scripts not yet covered by allowScripts: quantlite@0.1.0 (prepare: npm run build)"),
// and, once allowed, would run a build that cannot work there: the tarball ships dist/, not the
// sources or the devDependencies. `strip` (prepack) saves package.json and removes `prepare`;
// `restore` (postpack) puts the saved file back byte for byte.
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const SAVED = "package.json.prepack";

if (process.argv[2] === "strip") {
  const text = readFileSync("package.json", "utf8");
  writeFileSync(SAVED, text);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync("package.json", `${JSON.stringify(pkg, null, 2)}\n`);
} else if (process.argv[2] === "restore") {
  renameSync(SAVED, "package.json");
} else {
  throw new Error("usage: node scripts/pack-manifest.mjs strip|restore");
}

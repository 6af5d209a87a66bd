// What the package's "#wasm-bytes", "#relaxed-wasm-bytes" and "#threads-wasm-bytes" imports
// resolve to under the `workerd` condition (package.json "imports"): Workers cannot compile wasm
// bytes at run time and get quantlite.wasm as a module instead (js/workerd.ts), so the Worker
// bundle carries no base64 copies of the builds.
export const WASM_BASE64: string | null = null;

// `import mod from "./x.wasm"`: how Cloudflare Workers (workerd, wrangler, esbuild's "copy"
// loader) hand a .wasm file to JavaScript — as a compiled WebAssembly.Module.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

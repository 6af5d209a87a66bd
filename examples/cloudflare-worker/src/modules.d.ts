// wrangler.toml's Data rule: a .tflite import is the file's bytes.
declare module "*.tflite" {
  const bytes: ArrayBuffer;
  export default bytes;
}

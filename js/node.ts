// Node-only conveniences (file system). The core API (quantlite) has no Node built-ins.
import { readFile } from "node:fs/promises";
import { Model, type LoadOptions } from "./model.js";

export * from "./index.js";

/** Loads a .tflite model from a file path. */
export async function loadModelFile(path: string, options?: LoadOptions): Promise<Model> {
  return Model.load(new Uint8Array(await readFile(path)), options);
}

/** Images of a folder (or a list file) with ImageNet labels from file names and synsets.txt, or a labels file: what `quantlite eval` reads. */
export { loadImageSet, listImages, labelSource, type ImageSetOptions, type LabelSource } from "./commands/images.js";

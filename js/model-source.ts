// Where Model.load can take a model from: bytes in any container (js/bytes.ts), or a source it
// reads first — a fetch Response, a URL (fetched with the runtime's own fetch), a ReadableStream
// of bytes, or a Blob / File.
import { type Bytes, describe, toBytes, toStringTag } from "./bytes.js";
import { InputError } from "./errors.js";

/** Bytes, a Response, a URL (object, or a string with a scheme such as https:), a stream of bytes or a Blob. */
export type ModelSource = Bytes | Response | URL | string | ReadableStream<Uint8Array> | Blob;

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The model file's bytes, read from the source when it is not bytes already. */
export async function modelBytes(source: ModelSource): Promise<Uint8Array> {
  if (typeof source === "string") {
    if (!URL_SCHEME.test(source)) {
      throw new InputError(`Model.load takes bytes, a URL, a Response, a Blob or a stream, not the string "${source.slice(0, 80)}" (in Node, loadModelFile of quantlite/node reads a path)`);
    }
    return modelBytes(new URL(source));
  }
  switch (toStringTag(source)) {
    case "URL":
      return modelBytes(await fetchModel(source as URL));
    case "Response":
      return responseBytes(source as Response);
    case "ReadableStream":
      return streamBytes(source as ReadableStream<Uint8Array>);
    case "Blob":
    case "File":
      return new Uint8Array(await (source as Blob).arrayBuffer());
    default:
      if (ArrayBuffer.isView(source) || ["ArrayBuffer", "SharedArrayBuffer"].includes(toStringTag(source))) {
        return toBytes(source as Bytes, "Model.load's model file");
      }
      throw new InputError(`Model.load takes the model as bytes (Uint8Array, Buffer, ArrayBuffer), a URL, a Response, a Blob or a ReadableStream, not ${describe(source)}`);
  }
}

async function fetchModel(url: URL): Promise<Response> {
  try {
    return await fetch(url);
  } catch (e) {
    throw new InputError(`could not fetch the model from ${url.href}: ${(e as Error).message}`);
  }
}

async function responseBytes(response: Response): Promise<Uint8Array> {
  if (!response.ok) throw new InputError(`the model's response is ${response.status} ${response.statusText}${response.url ? ` (${response.url})` : ""}`);
  if (response.body === null) return new Uint8Array(await response.arrayBuffer());
  return streamBytes(response.body);
}

async function streamBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = toBytes(value, "a chunk of the model stream");
    chunks.push(chunk);
    length += chunk.length;
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

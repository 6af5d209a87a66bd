// Makes jpeg-js the decoder behind `decoder: "jpeg-js"` (an import-time side effect of the default,
// Node and workerd entries). The browser entry leaves it out: 13 KB less for every web app.
import { provideJpegJs } from "./decode.js";
import { decodeJpegWithJpegJs } from "./jpeg-js.js";

provideJpegJs(decodeJpegWithJpegJs);

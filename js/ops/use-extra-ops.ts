// Registers every operator at import (an import-time side effect of the default, Node and workerd
// entries), so that synchronous calls such as inspectModel know them all.
import { EXTRA_OPS } from "./extra-ops.js";
import { registerOperators } from "./registry.js";

registerOperators(EXTRA_OPS);

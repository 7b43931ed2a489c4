// Preload (node --import) that records every module the process loads: each resolved URL is
// appended to the file named by $MUSCAT_MODULE_LIST. Used by the start-up test to check which
// libraries a command pulls in.
import { register } from "node:module";

if (process.env.MUSCAT_MODULE_LIST)
  register("./module-list-hooks.mjs", import.meta.url, { data: { out: process.env.MUSCAT_MODULE_LIST } });

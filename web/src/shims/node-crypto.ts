// The one part of node:crypto the model code uses (createHash("sha256") for content hashes),
// for the browser build: @noble/hashes' SHA-256 gives the same digest, so a model compiled in
// the app has the hash the server gives it. Aliased in web/vite.config.ts.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export function createHash(algorithm: string) {
  if (algorithm !== "sha256") throw new Error(`only sha256 is available in the browser, not ${algorithm}`);
  const h = sha256.create();
  const hash = {
    update(data: string | Uint8Array) {
      h.update(typeof data === "string" ? utf8ToBytes(data) : data);
      return hash;
    },
    digest(encoding: "hex") {
      if (encoding !== "hex") throw new Error("only hex digests are available in the browser");
      return bytesToHex(h.digest());
    },
  };
  return hash;
}

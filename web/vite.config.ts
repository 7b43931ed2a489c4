// Vite config of Muscat's browser UI: root web/, output web/dist (served by `muscat serve`).
// In development (`npm run dev:web`) /api is proxied to a running `muscat serve`; set
// MUSCAT_API (default http://127.0.0.1:4747) to point elsewhere.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  // The model and CIB code runs in the app too (the instant kernel); its Node imports are the
  // SHA-256 of node:crypto, which a shim gives from @noble/hashes, and the worker pool of the
  // parallel search, which the app never starts (a stand-in that says so).
  resolve: {
    alias: [
      {
        find: "node:crypto",
        replacement: fileURLToPath(new URL("./src/shims/node-crypto.ts", import.meta.url)),
      },
      {
        find: /^(?:\.\.?\/)+workers\/pool\.js$/,
        replacement: fileURLToPath(new URL("./src/shims/worker-pool.ts", import.meta.url)),
      },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: "127.0.0.1",
    proxy: { "/api": { target: process.env.MUSCAT_API ?? "http://127.0.0.1:4747", changeOrigin: false } },
  },
});

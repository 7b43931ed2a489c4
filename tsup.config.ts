import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    cli: "src/cli/main.ts",
    index: "src/index.ts",
    "server-worker": "src/server/job-worker.ts",
    "prob-worker": "src/prob/worker.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  dts: false,
  splitting: true,
});

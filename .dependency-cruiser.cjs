// The dependency rules of the layout (docs/architecture.md): model → engines → runs → adapters.
// Checked in CI by `npm run -s deps` (dependency-cruiser); type-only imports count too.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cli-outside-cli",
      comment: "The CLI is an adapter: nothing outside src/cli/ imports from it.",
      severity: "error",
      from: { path: "^(src|web/src)/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "engines-below-adapters",
      comment: "The model, the engines, their runs and the worker pool never import an adapter.",
      severity: "error",
      from: { path: "^src/(model|cib|prob|stakes|bargain|forecast|evidence|runs|workers)/" },
      to: { path: "^src/(cli|server|report)/" },
    },
    {
      name: "contract-below-adapters",
      comment: "The API's response shapes (src/contract/) are built from the model, engines and runs only.",
      severity: "error",
      from: { path: "^src/contract/" },
      to: { path: "^src/(cli|server|report|store)/" },
    },
    {
      name: "queue-only-from-adapters",
      comment:
        "The Redis queue (src/workers/queue*.ts, BullMQ) is Node-only and optional: the engines and runs, which the browser bundles too, take a pool and never import it; the CLI and the server choose it.",
      severity: "error",
      from: { path: "^(src/(model|cib|prob|stakes|bargain|forecast|evidence|runs)|web/src)/" },
      to: { path: "^src/workers/queue|^node_modules/(bullmq|ioredis)/" },
    },
    {
      name: "cib-not-on-prob",
      comment: "The probability engine builds on the CIB engine, never the other way round.",
      severity: "error",
      from: { path: "^src/cib/" },
      to: { path: "^src/prob/" },
    },
    {
      name: "web-no-server-or-cli",
      comment: "The browser UI talks to the API; it imports no server or CLI code.",
      severity: "error",
      from: { path: "^web/src/" },
      to: { path: "^src/(server|cli|store)/" },
    },
    {
      name: "no-circular",
      comment: "No import cycles at run time (a type-only import back is not one).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|\\.scratch)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
  },
};

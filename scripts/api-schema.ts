// Writes schema/api.schema.json: the JSON Schema of every HTTP API response (src/contract/api.ts,
// engine results included), generated from the TypeScript types so that the two cannot drift.
// `npm run schema:api` rewrites it; test/contract/api-schema.test.ts fails when it is stale.
// The definitions sit under components.schemas, where the server's OpenAPI document takes them.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createGenerator } from "ts-json-schema-generator";

const root = fileURLToPath(new URL("..", import.meta.url));
export const API_SCHEMA_PATH = `${root}schema/api.schema.json`;

/** The schema as text, with its $refs pointing into components.schemas. */
export function apiSchemaText(): string {
  const generator = createGenerator({
    path: `${root}src/contract/api.ts`,
    tsconfig: `${root}tsconfig.json`,
    type: "ApiShapes",
    expose: "export",
    topRef: true,
    jsDoc: "basic",
    skipTypeCheck: true,
    additionalProperties: false,
  });
  const { definitions = {} } = generator.createSchema("ApiShapes");
  const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
  const text = JSON.stringify(
    {
      $comment: "Generated from src/contract/api.ts by `npm run schema:api`; do not edit.",
      components: { schemas: sorted },
    },
    null,
    2,
  );
  return `${text.replaceAll('"#/definitions/', '"#/components/schemas/')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(API_SCHEMA_PATH, apiSchemaText());
  console.log(`wrote ${API_SCHEMA_PATH}`);
}

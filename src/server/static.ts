// Static files of the built UI (web/dist): a GET for a path that names a file under the folder
// gets that file; anything else that is not /api gets index.html (the UI routes in the
// browser). Paths are resolved and must stay inside the folder: no traversal.
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, resolve, sep } from "node:path";
import type { Context } from "hono";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

/** The file under `root` a URL path names, or undefined (outside the folder, missing, a folder). */
export function staticFile(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0")) return undefined;
  const base = resolve(root);
  const p = resolve(join(base, decoded));
  if (p !== base && !p.startsWith(base + sep)) return undefined;
  if (!existsSync(p) || !statSync(p).isFile()) return undefined;
  return p;
}

/** A handler serving the UI from `root`, or a short page saying the UI is not built. */
export function staticHandler(root: string | undefined) {
  return (c: Context) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return c.json({ error: "not found" }, 404);
    const index = root ? staticFile(root, "/index.html") : undefined;
    if (!root || !index)
      return c.html(
        '<!doctype html><meta charset="utf-8"><title>Muscat</title><p>The browser UI is not built (web/dist is missing): run <code>npm start</code>, or use the API: <a href="/api/docs">/api/docs</a>.</p>',
      );
    const file = staticFile(root, c.req.path) ?? index;
    const type = TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
    const headers: Record<string, string> = { "content-type": type, "x-content-type-options": "nosniff" };
    if (file !== index && c.req.path.startsWith("/assets/"))
      headers["cache-control"] = "public, max-age=31536000, immutable";
    return c.body(readFileSync(file), 200, headers);
  };
}

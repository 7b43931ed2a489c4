// Who may talk to the server. A browser page on any site can point its own name at 127.0.0.1
// (DNS rebinding) and then read and write this API as if same-origin; the defence is to answer
// only requests whose Host header names this server: the loopback names by default, plus the
// names an operator allows (only with a token). Writes also check Origin when a browser sends
// one: a page from another origin may not change models even under an allowed name.

import type { MiddlewareHandler } from "hono";

/** The names a server bound to loopback answers to. */
export const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"] as const;

/** The host name of a Host header or URL authority, lower case, without port or IPv6 brackets. */
export function hostName(authority: string): string | null {
  const a = authority.trim().toLowerCase();
  if (a === "") return null;
  const v6 = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(a);
  if (v6) return v6[1];
  const m = /^([a-z0-9.-]+)(?::\d+)?$/.exec(a);
  return m ? m[1] : null;
}

/** Whether a host name is allowed: a loopback name (any 127.x.y.z) or one of `extra`. */
export function allowedHost(name: string, extra: readonly string[]): boolean {
  return (
    (LOOPBACK_NAMES as readonly string[]).includes(name) ||
    /^127\.\d+\.\d+\.\d+$/.test(name) ||
    extra.includes(name)
  );
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuses (403) a request whose Host is not allowed, and a write whose Origin (when present)
 * names another host. `extra`: host names allowed besides loopback, lower case.
 */
export function hostGuard(extra: readonly string[] = []): MiddlewareHandler {
  const names = extra.map((h) => h.toLowerCase());
  const hint = "start the server with --allow-host NAME (and a token) to serve another name";
  return async (c, next) => {
    // The Host header (the node adapter builds the URL from it); a request made in-process
    // without one (tests through app.request) carries its host in the URL.
    const header = c.req.header("host") ?? new URL(c.req.url).host;
    const name = hostName(header);
    if (!name || !allowedHost(name, names))
      return c.json(
        { error: `this server does not answer to the host '${header || "(none)"}': ${hint}`, code: "host" },
        403,
      );
    const origin = c.req.header("origin");
    if (origin !== undefined && WRITES.has(c.req.method)) {
      let ok = false;
      try {
        const u = new URL(origin);
        const o = hostName(u.host);
        ok = (u.protocol === "http:" || u.protocol === "https:") && o !== null && allowedHost(o, names);
      } catch {
        ok = false;
      }
      if (!ok)
        return c.json(
          {
            error: `writes from the origin '${origin}' are refused: only pages of this server may change it`,
            code: "origin",
          },
          403,
        );
    }
    await next();
  };
}

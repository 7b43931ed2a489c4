// A JSON response whose bulk is already serialised: the small fields of the answer (id, version)
// spliced in front of a JSON object held as bytes, sent as a stream of 1 MiB slices of those
// bytes (views, not copies), so a large answer is never built as one string on the main thread
// and the socket takes it at its own pace.
const CHUNK = 1024 * 1024;
const encoder = new TextEncoder();

/** `{...head, ...body}` as a response; `body` is the UTF-8 JSON of an object with ≥ 1 key. */
export function splicedJson(head: Record<string, unknown>, body: Uint8Array, status = 200): Response {
  const h = JSON.stringify(head);
  const prefix = encoder.encode(body.byteLength > 2 ? `${h.slice(0, -1)},` : h.slice(0, -1));
  const rest = body.subarray(1);
  let at = 0;
  let sentPrefix = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (!sentPrefix) {
        sentPrefix = true;
        controller.enqueue(prefix);
        return;
      }
      if (at >= rest.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(rest.subarray(at, at + CHUNK));
      at += CHUNK;
    },
  });
  return new Response(stream, {
    status,
    headers: {
      "content-type": "application/json",
      "content-length": String(prefix.byteLength + rest.byteLength),
    },
  });
}

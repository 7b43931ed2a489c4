// A load client for bench/server and test/server/responsive.test.ts, in its own process:
//   node bench/server/reader.mjs URL MODEL-ID CLIENTS ROUNDS
// CLIENTS concurrent clients each read GET /api/models/ID then GET /api/models/ID/matrix,
// ROUNDS times, consuming every body; prints {modelMs, matrixMs, modelBytes, matrixBytes, resets}.
const [url, id, clients, rounds] = process.argv.slice(2);
const stats = { modelMs: [], matrixMs: [], modelBytes: 0, matrixBytes: 0, resets: 0 };

async function read(path, times, key) {
  const t = performance.now();
  // A connection the server reset (a blocked server misses its own timeouts) is counted in
  // `resets` and tried again, up to 3 times.
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(new URL(path, url));
      const body = await r.arrayBuffer();
      if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${Buffer.from(body).toString().slice(0, 300)}`);
      stats[key] = body.byteLength;
      break;
    } catch (e) {
      if (attempt === 3 || !String(e?.cause?.code ?? "").startsWith("ECONN")) throw e;
      stats.resets++;
    }
  }
  times.push(performance.now() - t);
}

async function client() {
  for (let i = 0; i < Number(rounds); i++) {
    await read(`api/models/${id}`, stats.modelMs, "modelBytes");
    await read(`api/models/${id}/matrix`, stats.matrixMs, "matrixBytes");
  }
}

await Promise.all(Array.from({ length: Number(clients) }, client));
process.stdout.write(JSON.stringify(stats));

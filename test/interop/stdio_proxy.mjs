// Puts the stdio bridge (`persistproc mcp`) behind a Streamable HTTP endpoint,
// so the conformance suite, which only takes --url, can run its scenarios
// through it. The proxy passes JSON-RPC messages through unchanged in both
// directions, one `persistproc mcp` per HTTP session: what the scenarios check
// is what the bridge says. The HTTP layer is the SDK's, so scenarios about HTTP
// itself (DNS rebinding) say nothing about the bridge and are run over HTTP only.
//   node stdio_proxy.mjs BIN PORT DATA_DIR   prints "proxy listening on URL"
import { randomUUID } from "node:crypto";
import http from "node:http";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";

const [bin, port, dataDir] = process.argv.slice(2);
const sessions = new Map();  // session id -> HTTP transport

async function newSession() {
  const bridge = new StdioClientTransport({ command: bin, args: ["mcp", "--port", port, "--data-dir", dataDir], stderr: "inherit" });
  const front = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => sessions.set(id, front),
  });
  front.onmessage = (message) => bridge.send(message).catch((e) => console.error("proxy: to bridge:", e.message));
  bridge.onmessage = (message) => front.send(message).catch((e) => console.error("proxy: to client:", e.message));
  front.onclose = () => {
    if (front.sessionId) sessions.delete(front.sessionId);
    bridge.close();
  };
  bridge.onclose = () => front.close();
  await bridge.start();
  await front.start();
  return front;
}

const server = http.createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    const id = req.headers["mcp-session-id"];
    let front = id ? sessions.get(id) : undefined;
    if (!front && !id && req.method === "POST") front = await newSession();
    if (!front) {
      res.writeHead(id ? 404 : 400).end();
      return;
    }
    await front.handleRequest(req, res, body);
  } catch (e) {
    console.error("proxy:", e.message);
    if (!res.headersSent) res.writeHead(400).end();
  }
});
server.listen(0, "127.0.0.1", () => console.log(`proxy listening on http://127.0.0.1:${server.address().port}/mcp`));
const stop = () => {
  for (const front of sessions.values()) front.close();
  server.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

// The protocol-stack peer for the MCP throughput figure: the official MCP
// TypeScript SDK's Streamable HTTP server with one tool, `list`, that answers
// what persistproc's `list` answered (the file given, persistproc's own answer
// for a table of N running processes; without one, an empty table), serialized
// on each call as the SDK does, with the same input schema. It does not look at
// processes, ports or memory: the SDK's best case. Set up the way the SDK documents it: stateful
// sessions (one McpServer and transport per session), JSON responses (as
// persistproc sends; the SDK's best case, no SSE framing), DNS-rebinding
// protection on (persistproc checks Host too). No token: persistproc's check
// is one constant-time compare, left in on its side.
//   node sdk_server.mjs [ANSWER.json]   prints "listening on http://127.0.0.1:<port>/mcp/"
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import * as z from "zod";

const answer = process.argv[2] ? JSON.parse(readFileSync(process.argv[2], "utf8")) : { processes: [] };
const transports = new Map();
let allowedHosts = [];

function newSession() {
  const server = new McpServer({ name: "sdk-peer", version: "1.0.0" });
  server.registerTool(
    "list",
    {
      description: "List managed processes",
      inputSchema: {
        pid: z.number().int().optional(),
        command_or_label: z.string().optional(),
        working_directory: z.string().optional(),
      },
      outputSchema: { processes: z.array(z.object({}).passthrough()) },
    },
    async () => {
      const result = answer;
      return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result };
    },
  );
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    enableJsonResponse: true,
    enableDnsRebindingProtection: true,
    allowedHosts,
    onsessioninitialized: (id) => transports.set(id, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId) transports.delete(transport.sessionId);
  };
  return { server, transport };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined));
    req.on("error", reject);
  });
}

const http = createServer(async (req, res) => {
  try {
    const body = req.method === "POST" ? await readBody(req) : undefined;
    const sid = req.headers["mcp-session-id"];
    let transport = sid ? transports.get(sid) : undefined;
    if (!transport) {
      if (sid || req.method !== "POST" || !isInitializeRequest(body)) {
        res.writeHead(sid ? 404 : 400, { "content-type": "application/json" });
        res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "no such session" }, id: null }));
        return;
      }
      const s = newSession();
      await s.server.connect(s.transport);
      transport = s.transport;
    }
    await transport.handleRequest(req, res, body);
  } catch (e) {
    if (!res.headersSent) res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32700, message: String(e) }, id: null }));
  }
});
http.keepAliveTimeout = 120000;
http.listen(0, "127.0.0.1", () => {
  const port = http.address().port;
  allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  console.log(`listening on http://127.0.0.1:${port}/mcp/`);
});
process.on("SIGTERM", () => process.exit(0));

// The official MCP TypeScript SDK client against a live persistproc server:
// connect, list tools, start a process, stop it, read its log. The SDK checks
// every structuredContent against the tool's outputSchema.
//   node sdk_client.mjs URL TOKEN|- HELPER CWD [expect-unauthorized]
// URL may be stdio:BIN:PORT:DATA_DIR: the SDK's stdio transport then starts
// `BIN mcp --port PORT --data-dir DATA_DIR`, the stdio bridge, which finds the token itself.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [url, tokenArg, helper, cwd, expectation] = process.argv.slice(2);
const token = tokenArg === "-" ? undefined : tokenArg;

function fail(message) {
  console.error(`sdk_client: FAIL: ${message}`);
  process.exit(1);
}

const stdio = url.startsWith("stdio:");
// Each run has a label of its own: the stdio run talks to a server an HTTP run used before.
const label = stdio ? "sdk-test-stdio" : "sdk-test";
let transport;
if (stdio) {
  const [, bin, port, dataDir] = url.split(":");
  transport = new StdioClientTransport({ command: bin, args: ["mcp", "--port", port, "--data-dir", dataDir], stderr: "inherit" });
} else {
  transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });
}
const client = new Client({ name: "persistproc-interop", version: "1.0.0" });

// Lifecycle notifications arrive on the SSE stream the SDK opens after initialize;
// its first message says it is open, so nothing after that can be missed.
const seen = [];
const waiters = [];
function awaitEvent(pred, what) {
  const hit = seen.find(pred);
  if (hit) return Promise.resolve(hit);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} notification within 20 s`)), 20000);
    waiters.push({ pred, resolve: (d) => { clearTimeout(timer); resolve(d); } });
  });
}
const { LoggingMessageNotificationSchema } = await import("@modelcontextprotocol/sdk/types.js");
client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
  seen.push(n.params.data);
  for (const w of waiters.splice(0)) {
    if (w.pred(n.params.data)) w.resolve(n.params.data);
    else waiters.push(w);
  }
});

try {
  await client.connect(transport);
} catch (e) {
  if (expectation === "expect-unauthorized" && /401|Unauthorized/i.test(String(e))) {
    console.log("sdk_client: refused without the token, as expected");
    process.exit(0);
  }
  fail(`connect: ${e}`);
}
if (expectation === "expect-unauthorized") fail("connected without the token");

try {
  await awaitEvent((d) => d.event === "stream_opened", "stream_opened");
} catch (e) {
  fail(String(e));
}
if (!client.getServerCapabilities()?.logging) fail("server does not declare the logging capability");

const { tools } = await client.listTools();
const names = tools.map((t) => t.name).sort();
if (JSON.stringify(names) !== JSON.stringify(["ctrl", "list", "output"])) fail(`tools: ${names}`);
// Annotations let clients run reads without asking for approval.
for (const t of tools) {
  const readOnly = t.name !== "ctrl";
  if (t.annotations?.readOnlyHint !== readOnly || !t.title) fail(`annotations of ${t.name}: ${JSON.stringify(t)}`);
}
if (tools.find((t) => t.name === "ctrl").annotations.destructiveHint !== true) fail("ctrl is not marked destructive");

async function call(name, args) {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError) fail(`${name} returned an error: ${JSON.stringify(r.structuredContent)}`);
  if (JSON.stringify(JSON.parse(r.content[0].text)) !== JSON.stringify(r.structuredContent))
    fail(`${name}: text content differs from structuredContent`);
  return r.structuredContent;
}

const started = await call("ctrl", {
  action: "start",
  command_or_label: `${helper} out:hello-from-the-sdk pause`,
  working_directory: cwd,
  label: label,
});
if (!Number.isInteger(started.pid)) fail(`start: ${JSON.stringify(started)}`);

const listed = await call("list", { command_or_label: label });
if (listed.processes.length !== 1 || listed.processes[0].status !== "running") fail(`list: ${JSON.stringify(listed)}`);

// stop returns once the process has exited and its log is complete.
const stopped = await call("ctrl", { action: "stop", pid: started.pid });
if (stopped.exit_code !== -15) fail(`stop: ${JSON.stringify(stopped)}`);

try {
  const exited = await awaitEvent((d) => d.event === "exited" && d.pid === started.pid, "exited");
  if (exited.exit_code !== -15 || exited.label !== label) fail(`exited notification: ${JSON.stringify(exited)}`);
  await awaitEvent((d) => d.event === "started" && d.pid === started.pid, "started");
} catch (e) {
  fail(String(e));
}

// The combined log's [SYSTEM] lines are certain once stop has returned (the child's
// own line may or may not have been written before SIGTERM reached it).
const out = await call("output", { pid: started.pid });
if (!out.output.some((l) => l.includes(" [SYSTEM] Process started")) ||
    !out.output.some((l) => l.includes(" [SYSTEM] Process terminated by signal 15")))
  fail(`output: ${JSON.stringify(out)}`);

// An error result is isError with the error in structuredContent, still schema-valid.
const bad = await client.callTool({ name: "ctrl", arguments: { action: "stop", command_or_label: "no-such-thing" } });
if (!bad.isError || typeof bad.structuredContent.error !== "string") fail(`error result: ${JSON.stringify(bad)}`);

if (!stdio) await transport.terminateSession();
await client.close();
console.log(`sdk_client: OK over ${stdio ? "stdio" : "HTTP"} (pid ${started.pid}, ${out.output.length} output lines)`);

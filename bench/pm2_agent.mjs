// pm2's side of the measures that need a client kept connected to its daemon
// (pm2's programmatic API over its RPC socket, the peer of an open MCP session).
// One JSON request per line on stdin, one JSON answer per line on stdout:
//   {"op":"start","name":N,"script":S,"args":[...]}  -> {"pid":P,"out":OUT_LOG}
//        fork mode, no interpreter, no autorestart, time stamps (--time)
//   {"op":"exit","name":N,"pid":P}  -> {"ms":T,"polls":K}
//        SIGKILL to P, then pm2.describe(N) as fast as answers come until the
//        status is no longer "online": pm2 has no exit event for a client
//        that is not on its bus, so a client polls. T counts from the kill.
//   {"op":"stopped","name":N}  -> {"ms":T,"polls":K}
//        the same loop without the kill: until pm2 reports the app ended
//   {"op":"exit_event","name":N}  -> {"t_ns":T}
//        when pm2's bus delivered process:event "exit" for N (CLOCK_MONOTONIC ns;
//        the agent listens on the bus from its start, so none is missed)
//   {"op":"delete","name":N}  -> {}
// PM2_HOME comes from the environment; the daemon is already running.
import pm2 from "pm2";
import { createInterface } from "node:readline";

const call = (fn, ...args) =>
  new Promise((resolve, reject) => fn.call(pm2, ...args, (err, out) => (err ? reject(err) : resolve(out))));

await call(pm2.connect);

// Exit events from pm2's bus: name -> arrival time; waiters for names not seen yet.
const exits = new Map();
const exitWaiters = new Map();
const bus = await call(pm2.launchBus);
bus.on("process:event", (packet) => {
  if (packet.event !== "exit") return;
  const t = process.hrtime.bigint();
  const name = packet.process.name;
  exits.set(name, t);
  const w = exitWaiters.get(name);
  if (w) {
    exitWaiters.delete(name);
    w(t);
  }
});
const exitEvent = (name) =>
  exits.has(name) ? Promise.resolve(exits.get(name)) : new Promise((resolve) => exitWaiters.set(name, resolve));

async function handle(req) {
  switch (req.op) {
    case "start": {
      const procs = await call(pm2.start, {
        name: req.name,
        script: req.script,
        args: req.args,
        interpreter: "none",
        autorestart: false,
        time: true,
      });
      const env = procs[0].pm2_env;
      return { pid: procs[0].process.pid, out: env.pm_out_log_path };
    }
    case "exit":
    case "stopped": {
      const t0 = process.hrtime.bigint();
      if (req.op === "exit") process.kill(req.pid, "SIGKILL");
      let polls = 0;
      for (;;) {
        const d = await call(pm2.describe, req.name);
        ++polls;
        if (d[0].pm2_env.status !== "online") break;
      }
      return { ms: Number(process.hrtime.bigint() - t0) / 1e6, polls };
    }
    case "exit_event": {
      const t = await exitEvent(req.name);
      exits.delete(req.name);
      return { t_ns: Number(t) };
    }
    case "delete":
      await call(pm2.delete, req.name);
      return {};
    default:
      throw new Error(`unknown op ${req.op}`);
  }
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  try {
    process.stdout.write(JSON.stringify(await handle(JSON.parse(line))) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e) }) + "\n");
  }
}
pm2.disconnect();

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
//        the same loop without the kill: until pm2 reports the app ended by itself
//   {"op":"delete","name":N}  -> {}
// PM2_HOME comes from the environment; the daemon is already running.
import pm2 from "pm2";
import { createInterface } from "node:readline";

const call = (fn, ...args) =>
  new Promise((resolve, reject) => fn.call(pm2, ...args, (err, out) => (err ? reject(err) : resolve(out))));

await call(pm2.connect);

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

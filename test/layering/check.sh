#!/usr/bin/env bash
# The layers as docs/architecture.md draws them, checked against the build: for
# every pair of layers, a file of layer L including a header of layer H must
# preprocess when H is L or below it, and fail when H is above it.
#   check.sh <c++ compiler> <layer views root> <lib source dir>
set -euo pipefail
cxx=$1 views=$2 src=$3

# Each layer and every layer it may include (itself too).
declare -A sees=(
  [core]="core"
  [os]="core os"
  [supervise]="core os supervise"
  [stack]="core os supervise stack"
  [mcp]="core os supervise stack mcp"
  [http]="core os supervise stack mcp http"
  [client]="core os client"
  [server]="core os supervise stack mcp http client server"
  [cli]="core os supervise stack mcp http client server cli"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0 checked=0
for layer in "${!sees[@]}"; do
  for target in "${!sees[@]}"; do
    header=$(cd "$src/$target" && ls ./*.hpp | head -n 1)
    echo "#include \"$target/${header#./}\"" > "$work/probe.cpp"
    if "$cxx" -std=c++20 -E -I "$views/$layer" -I "$views/generated" "$work/probe.cpp" -o /dev/null 2>/dev/null; then
      got=visible
    else
      got=hidden
    fi
    want=hidden
    [[ " ${sees[$layer]} " == *" $target "* ]] && want=visible
    checked=$((checked + 1))
    if [ "$got" != "$want" ]; then
      echo "layer $layer: $target/${header#./} is $got, must be $want" >&2
      fails=$((fails + 1))
    fi
  done
done
echo "layering: $checked pairs checked, $fails wrong"
[ "$fails" -eq 0 ]

# Shared by scripts/serve and scripts/test: install what is missing, then build.
# Idempotent: with everything in place it only runs an incremental build.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# zsh and fish: the completion tests load their scripts; help2man writes the man page;
# dpkg-dev and file: `cpack -G DEB` computes the package's dependencies with them.
PACKAGES=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev libcli11-dev libgtest-dev libgmock-dev libre2-dev libyaml-cpp-dev stress-ng
          zsh fish help2man dpkg-dev file)

# The fuzz targets (scripts/fuzz) also need clang, its sanitizer and libFuzzer
# runtimes (only recommended by clang, so named here) and llvm's symbolizer.
FUZZ_PACKAGES=(clang libclang-rt-14-dev llvm)

# install_missing [more packages...]: PACKAGES, those given, and npm.
install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # The interop tests fetch the MCP SDK, the conformance suite and Node 22 with npm.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "persistproc: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build <dir> <target|all> [cmake args...]
build() {
  local dir=$1 target=$2
  shift 2
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  fi
  # Two jobs: the machines this runs on have two cores and Beast/Asio units are heavy.
  cmake --build "$dir" --target "$target" -- -j2
}

# The cgroup tests need a writable cgroup v2 hierarchy. Machines with only the
# v1 controllers mounted (some VMs and containers) have none; as root, mount one
# beside them, where systemd's hybrid layout puts it, so those tests run instead
# of skipping. Elsewhere (not root, or one is there) nothing changes.
cgroup2_for_tests() {
  grep -q " - cgroup2 " /proc/self/mountinfo && return 0
  [ "$(id -u)" -eq 0 ] || return 0
  local at=/sys/fs/cgroup/unified
  mkdir -p "$at" 2>/dev/null && mount -t cgroup2 none "$at" 2>/dev/null &&
    echo "persistproc: mounted a cgroup v2 hierarchy at $at for the cgroup tests" >&2 || true
}

#!/usr/bin/env bash
# Installs every Debian 12 package segward needs to build, run and test.
# Idempotent: apt-get skips what is already installed. Run as root.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev
  # the fixed stack
  dpdk dpdk-dev libdpdk-dev libhyperscan-dev libpcap-dev
  libprotobuf-dev protobuf-compiler libyaml-cpp-dev libcli11-dev
  libgtest-dev libgmock-dev
  # tests: real servers and clients, captures, namespaces
  tshark tcpdump iproute2 iputils-ping ethtool procps netcat-openbsd
  zookeeperd zookeeper-bin libzookeeper-java libslf4j-java default-jre-headless python3 python3-kazoo
  # Mesos traffic: mesos-go (an independent libprocess messenger and scheduler driver), curl
  golang-go golang-github-mesos-mesos-go-dev curl python3-protobuf
  # the REST API (cpp-httplib with OpenSSL), its tests: Prometheus + promtool, Node.js for the OpenAPI validator
  libcpp-httplib-dev libssl-dev prometheus nodejs
  # benchmarks
  valgrind
)

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then exec sudo "$0" "$@"; fi
  echo "install-deps.sh: run as root" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's nodejs comes without npm (a package of its own); NodeSource's
# nodejs carries npm and conflicts with Debian's npm package.
command -v npm >/dev/null || dpkg-query -W -f='${Status}' npm 2>/dev/null | grep -q "install ok installed" || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#packages[@]} packages present"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
# The zookeeperd package starts a system-wide server on 2181; segward's tests
# start their own servers in private namespaces and do not need it.
if command -v systemctl >/dev/null && systemctl is-active -q zookeeper 2>/dev/null; then
  systemctl stop zookeeper || true
fi
echo "install-deps.sh: installed ${missing[*]}"

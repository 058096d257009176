#include "platform/ports.h"

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <array>
#include <cstring>
#include <regex>
#include <string>

#include "platform/log.h"
#include "platform/startup_error.h"

namespace segward::platform {
namespace {

std::string device_name(const std::string& device) { return device.substr(0, device.find(',')); }

[[noreturn]] void fail(const PortSpec& spec, const std::string& what, int rc) {
  throw StartupError("port " + spec.name + " (" + spec.device + "): " + what + ": " +
                     std::strerror(rc < 0 ? -rc : rc));
}

// A key of repeated 0x6d5a makes the Toeplitz hash symmetric: swapping source
// and destination gives the same queue (Woo and Park, "Scalable TCP session
// monitoring with symmetric receive-side scaling", 2012).
std::array<std::uint8_t, 52> symmetric_rss_key() {
  std::array<std::uint8_t, 52> key{};
  for (std::size_t i = 0; i < key.size(); i += 2) {
    key[i] = 0x6d;
    key[i + 1] = 0x5a;
  }
  return key;
}

}  // namespace

bool is_pci_address(const std::string& device) {
  static const std::regex pci(R"(^([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$)");
  return std::regex_match(device, pci);
}

std::vector<std::string> eal_device_args(const std::vector<PortSpec>& ports) {
  std::vector<std::string> args;
  for (const auto& port : ports) {
    if (is_pci_address(port.device)) {
      args.push_back("-a");
      args.push_back(port.device);
    } else {
      args.push_back("--vdev=" + port.device);
    }
  }
  return args;
}

rte_mempool* create_mbuf_pool(unsigned mbufs, unsigned cache_size) {
  rte_mempool* pool = rte_pktmbuf_pool_create("segward_mbufs", mbufs, cache_size, 0,
                                              RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
  if (pool == nullptr) {
    throw StartupError("cannot create a pool of " + std::to_string(mbufs) +
                       " packet buffers: " + std::strerror(rte_errno) +
                       " (lower dataplane.mbufs or give the EAL more memory with -m)");
  }
  return pool;
}

OpenedPort open_port(const PortSpec& spec, std::uint16_t queues, rte_mempool* pool) {
  OpenedPort port;
  port.name = spec.name;
  port.queues = queues;
  if (rte_eth_dev_get_port_by_name(device_name(spec.device).c_str(), &port.port_id) != 0) {
    throw StartupError("port " + spec.name + ": no DPDK device named '" + device_name(spec.device) +
                       "' (is the driver loaded and, for a NIC, bound to vfio-pci?)");
  }
  rte_eth_dev_info info{};
  if (int rc = rte_eth_dev_info_get(port.port_id, &info); rc != 0) fail(spec, "device info", rc);
  port.driver = info.driver_name;
  if (info.max_rx_queues < queues || info.max_tx_queues < queues) {
    throw StartupError("port " + spec.name + ": device supports " + std::to_string(info.max_rx_queues) +
                       " RX / " + std::to_string(info.max_tx_queues) + " TX queues, " +
                       std::to_string(queues) + " workers need one each");
  }

  rte_eth_conf conf{};
  auto key = symmetric_rss_key();
  const std::uint64_t wanted_hash = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP;
  if (queues > 1 && (info.flow_type_rss_offloads & wanted_hash) != 0) {
    conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
    conf.rx_adv_conf.rss_conf.rss_key = key.data();
    conf.rx_adv_conf.rss_conf.rss_key_len =
        info.hash_key_size != 0 ? std::min<std::uint8_t>(info.hash_key_size, key.size()) : 40;
    conf.rx_adv_conf.rss_conf.rss_hf = wanted_hash & info.flow_type_rss_offloads;
    port.symmetric_rss = true;
  } else if (queues > 1 && port.driver != "net_af_packet") {
    // net_af_packet needs no RSS: its queues are PACKET_FANOUT_HASH sockets,
    // and the kernel's fanout hash is symmetric already.
    log_warning("port " + spec.name + " (" + port.driver +
                ") has no RSS: flows may be split across workers");
  }
  if (int rc = rte_eth_dev_configure(port.port_id, queues, queues, &conf); rc != 0) {
    fail(spec, "configure", rc);
  }
  std::uint16_t rx_desc = spec.rx_descriptors;
  std::uint16_t tx_desc = spec.tx_descriptors;
  if (int rc = rte_eth_dev_adjust_nb_rx_tx_desc(port.port_id, &rx_desc, &tx_desc); rc != 0) {
    fail(spec, "descriptor counts", rc);
  }
  const int socket = rte_eth_dev_socket_id(port.port_id);
  const unsigned queue_socket = socket < 0 ? rte_socket_id() : static_cast<unsigned>(socket);
  for (std::uint16_t q = 0; q < queues; ++q) {
    if (int rc = rte_eth_rx_queue_setup(port.port_id, q, rx_desc, queue_socket, nullptr, pool); rc != 0) {
      fail(spec, "RX queue " + std::to_string(q), rc);
    }
    if (int rc = rte_eth_tx_queue_setup(port.port_id, q, tx_desc, queue_socket, nullptr); rc != 0) {
      fail(spec, "TX queue " + std::to_string(q), rc);
    }
  }
  if (int rc = rte_eth_dev_start(port.port_id); rc != 0) fail(spec, "start", rc);
  // A sensor sees traffic for other hosts; some virtual devices have no
  // promiscuous mode and say so with -ENOTSUP, which is fine.
  if (int rc = rte_eth_promiscuous_enable(port.port_id); rc != 0 && rc != -ENOTSUP) {
    log_warning("port " + spec.name + ": cannot enable promiscuous mode: " + std::strerror(-rc));
  }
  return port;
}

void close_port(const OpenedPort& port) {
  rte_eth_dev_stop(port.port_id);
  rte_eth_dev_close(port.port_id);
}

}  // namespace segward::platform

#pragma once
// Ethernet ports for the dataplane: any ethdev, a physical NIC (by PCI
// address) or a DPDK virtual device (net_pcap, net_af_packet, net_ring,
// net_null, ...), with one RX and one TX queue per worker.
#include <cstdint>
#include <string>
#include <vector>

struct rte_mempool;

namespace segward::platform {

struct PortSpec {
  std::string name;    // the operator's name for it, used in events (in_iface)
  std::string device;  // "net_pcap0,rx_pcap=x.pcap" or "0000:03:00.0"
  std::uint16_t rx_descriptors = 1024;
  std::uint16_t tx_descriptors = 1024;
};

struct OpenedPort {
  std::uint16_t port_id = 0;
  std::string name;
  std::string driver;
  std::uint16_t queues = 0;
  bool symmetric_rss = false;  // false when the device has a single queue or no RSS
};

// True for a PCI address (domain:bus:device.function or bus:device.function).
bool is_pci_address(const std::string& device);

// EAL arguments that make the devices exist: "--vdev=..." for virtual devices,
// "-a ..." for PCI devices (which also needs the EAL to scan PCI: callers drop
// --no-pci when this returns a PCI allow-list entry).
std::vector<std::string> eal_device_args(const std::vector<PortSpec>& ports);

rte_mempool* create_mbuf_pool(unsigned mbufs, unsigned cache_size);

// Configures `queues` RX and TX queue pairs (symmetric RSS when the device
// offers RSS, so both directions of a flow reach the same worker), enables
// promiscuous mode and starts the port. Throws StartupError.
OpenedPort open_port(const PortSpec& spec, std::uint16_t queues, rte_mempool* pool);

void close_port(const OpenedPort& port);

}  // namespace segward::platform

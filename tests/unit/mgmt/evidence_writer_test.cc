// Alert evidence files: what EvidenceWriter writes from the workers'
// records is pcapng that libpcap reads back (packets, nanosecond
// timestamps, lengths, bytes), appears under its final name only once
// complete, and survives many alerts open at once.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "mgmt/evidence_writer.h"
#include "platform/startup_error.h"

namespace segward::mgmt {
namespace {

namespace fs = std::filesystem;
using dataplane::EvidenceRecord;

std::string fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("evidence-" + name);
  fs::remove_all(dir);
  return dir.string();
}

std::unique_ptr<EvidenceRecord> record(std::uint64_t alert, std::uint64_t ts, std::uint32_t len, std::uint8_t fill,
                                       std::uint8_t flags = 0) {
  auto r = std::make_unique<EvidenceRecord>();
  r->alert_id = alert;
  r->flow_id = 77;
  r->rule_id = 12;
  r->flags = flags;
  r->packet.timestamp_ns = ts;
  r->packet.orig_len = len;
  r->packet.cap_len = static_cast<std::uint16_t>(std::min<std::uint32_t>(len, dataplane::kEvidenceSnapBytes));
  std::memset(r->packet.bytes, fill, r->packet.cap_len);
  return r;
}

struct ReadPacket {
  std::uint64_t ts_ns;
  std::uint32_t caplen, len;
  std::vector<std::uint8_t> bytes;
};

std::vector<ReadPacket> read_back(const std::string& path) {
  char err[PCAP_ERRBUF_SIZE];
  pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err);
  EXPECT_NE(p, nullptr) << err;
  std::vector<ReadPacket> out;
  if (p == nullptr) return out;
  EXPECT_EQ(pcap_datalink(p), DLT_EN10MB);
  pcap_pkthdr* h;
  const u_char* data;
  while (pcap_next_ex(p, &h, &data) == 1) {
    out.push_back({static_cast<std::uint64_t>(h->ts.tv_sec) * 1'000'000'000ULL + static_cast<std::uint64_t>(h->ts.tv_usec),
                   h->caplen, h->len, std::vector<std::uint8_t>(data, data + h->caplen)});
  }
  pcap_close(p);
  return out;
}

TEST(EvidenceWriter, WritesPcapngThatLibpcapReadsBackOnceComplete) {
  const std::string dir = fresh_dir("basic");
  EvidenceWriter w(dir);
  ASSERT_TRUE(fs::is_directory(dir));
  const std::uint64_t id = 0x1200;
  w.add(*record(id, 1'796'136'219'469'362'123ULL, 74, 0xa1));
  w.add(*record(id, 1'796'136'219'469'390'000ULL, 115, 0xa2, dataplane::kEvidenceAlerting));
  EXPECT_EQ(w.evidence_path(id), "") << "not complete yet";
  EXPECT_TRUE(fs::exists(fs::path(dir) / "4608.pcapng.part"));
  w.add(*record(id, 1'796'136'219'470'000'001ULL, 9000, 0xa3, dataplane::kEvidenceLast));
  const std::string path = w.evidence_path(id);
  ASSERT_EQ(path, (fs::path(dir) / "4608.pcapng").string());
  EXPECT_FALSE(fs::exists(path + ".part"));
  EXPECT_EQ(w.files_written(), 1u);
  EXPECT_EQ(w.files_open(), 0u);

  const auto packets = read_back(path);
  ASSERT_EQ(packets.size(), 3u);
  EXPECT_EQ(packets[0].ts_ns, 1'796'136'219'469'362'123ULL);
  EXPECT_EQ(packets[0].caplen, 74u);
  EXPECT_EQ(packets[0].len, 74u);
  EXPECT_EQ(packets[0].bytes, std::vector<std::uint8_t>(74, 0xa1));
  EXPECT_EQ(packets[1].ts_ns, 1'796'136'219'469'390'000ULL);
  EXPECT_EQ(packets[1].bytes, std::vector<std::uint8_t>(115, 0xa2));
  EXPECT_EQ(packets[2].caplen, dataplane::kEvidenceSnapBytes) << "a jumbo frame is cut at the snap length";
  EXPECT_EQ(packets[2].len, 9000u);
}

TEST(EvidenceWriter, AnEndOnlyRecordCompletesAndFinishAllClosesTheRest) {
  const std::string dir = fresh_dir("finish");
  EvidenceWriter w(dir);
  w.add(*record(0x100, 10, 60, 1));
  w.add(*record(0x100, 0, 0, 0, dataplane::kEvidenceLast | dataplane::kEvidenceNoPacket));
  w.add(*record(0x201, 20, 60, 2));
  EXPECT_NE(w.evidence_path(0x100), "");
  EXPECT_EQ(w.evidence_path(0x201), "");
  w.finish_all();
  ASSERT_NE(w.evidence_path(0x201), "");
  EXPECT_EQ(read_back(w.evidence_path(0x100)).size(), 1u);
  EXPECT_EQ(read_back(w.evidence_path(0x201)).size(), 1u);
}

TEST(EvidenceWriter, ManyAlertsOpenAtOnceAllComeOutWhole) {
  const std::string dir = fresh_dir("many");
  EvidenceWriter w(dir);
  constexpr std::uint64_t kAlerts = 150;  // more than the descriptors it keeps
  for (int round = 0; round < 3; ++round) {
    for (std::uint64_t a = 1; a <= kAlerts; ++a) {
      w.add(*record(a << 8, 1000 * a + round, 60 + round, static_cast<std::uint8_t>(a),
                    round == 2 ? dataplane::kEvidenceLast : 0));
    }
  }
  EXPECT_EQ(w.files_written(), kAlerts);
  EXPECT_EQ(w.write_errors(), 0u);
  for (std::uint64_t a = 1; a <= kAlerts; ++a) {
    const auto packets = read_back(w.evidence_path(a << 8));
    ASSERT_EQ(packets.size(), 3u) << a;
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(packets[round].ts_ns, 1000 * a + round);
      EXPECT_EQ(packets[round].len, 60u + round);
    }
  }
}

TEST(EvidenceWriter, AnEarlierRunsFilesAreMovedAsideNotServed) {
  const std::string dir = fresh_dir("earlier");
  fs::create_directories(dir);
  std::ofstream(fs::path(dir) / "256.pcapng") << "old";
  std::ofstream(fs::path(dir) / "512.pcapng.part") << "old";
  std::ofstream(fs::path(dir) / "notes.txt") << "kept";
  EvidenceWriter w(dir);
  EXPECT_EQ(w.evidence_path(256), "");
  EXPECT_TRUE(fs::exists(fs::path(dir) / "notes.txt"));
  int moved = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_directory() && e.path().filename().string().starts_with("earlier-")) {
      EXPECT_TRUE(fs::exists(e.path() / "256.pcapng"));
      EXPECT_TRUE(fs::exists(e.path() / "512.pcapng.part"));
      ++moved;
    }
  }
  EXPECT_EQ(moved, 1);
}

TEST(EvidenceWriter, ADirectoryThatCannotBeMadeIsAStartupError) {
  const std::string dir = fresh_dir("blocked");
  fs::create_directories(fs::path(dir).parent_path());
  std::ofstream(dir) << "a file, not a directory";
  EXPECT_THROW(EvidenceWriter(dir + "/sub"), StartupError);
  EXPECT_THROW(EvidenceWriter{dir}, StartupError);
  fs::remove(dir);
}

TEST(EvidenceWriter, NamesTheFileAfterTheAlertId) { EXPECT_EQ(evidence_file_name(4608), "4608.pcapng"); }

}  // namespace
}  // namespace segward::mgmt

#pragma once
// RecordIO (Mesos docs/recordio.md): a stream of records, each
// "<decimal length>\n<length bytes>", as in every v1 SUBSCRIBE response and
// in agent streaming requests. Records straddle HTTP chunks and TCP
// segments freely, so the reader takes the stream in arbitrary pieces.
//
// For each record, when its last byte has arrived, the sink gets
//   sink.on_record(std::span<const std::uint8_t> first_bytes, std::uint64_t full_length)
// where first_bytes are the record's first min(full_length, kKeepBytes)
// bytes: a view into the piece being fed when the record lies wholly in it,
// else a view of the reader's own buffer. Valid only during the call.
//
// A length line that is empty, holds anything but ASCII digits, has more
// than 20 digits or exceeds max_record_length is an error: the reader stops
// (error() says why, error_offset() where) and ignores all further input
// until reset(). Length 0 is a record of no bytes.
//
// No allocation; the reader is a fixed ~4 KiB value, one per stream direction.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace segward::mesos {

class RecordIoReader {
 public:
  static constexpr std::size_t kKeepBytes = 4096;
  static constexpr std::uint64_t kDefaultMaxRecordLength = 64ull << 20;  // 64 MiB
  static constexpr std::size_t kMaxLengthDigits = 20;

  enum class Error : std::uint8_t {
    kNone,
    kBadLength,      // empty length line, or a byte other than a digit before '\n'
    kLengthTooLong,  // more than kMaxLengthDigits digits
    kRecordTooLarge, // length > max_record_length
  };

  explicit RecordIoReader(std::uint64_t max_record_length = kDefaultMaxRecordLength) noexcept
      : max_record_length_(max_record_length) {}

  template <class Sink>
  void feed(std::span<const std::uint8_t> bytes, Sink& sink);

  /// Back to the start of a stream (counters included). The keep buffer is
  /// not cleared: only its first kept_ bytes are ever read, and clearing
  /// 4 KiB per session was a fifth of the Mesos path's instructions.
  void reset() noexcept {
    error_ = Error::kNone;
    error_offset_ = records_ = oversize_records_ = consumed_ = length_ = remaining_ = 0;
    digits_ = kept_ = 0;
    in_data_ = false;
  }

  [[nodiscard]] Error error() const noexcept { return error_; }
  [[nodiscard]] bool failed() const noexcept { return error_ != Error::kNone; }
  /// Stream offset of the byte that caused the error.
  [[nodiscard]] std::uint64_t error_offset() const noexcept { return error_offset_; }
  /// Records delivered.
  [[nodiscard]] std::uint64_t records() const noexcept { return records_; }
  /// Records longer than kKeepBytes (delivered cut to their first kKeepBytes).
  [[nodiscard]] std::uint64_t oversize_records() const noexcept { return oversize_records_; }
  /// Bytes fed so far (up to the error, if any).
  [[nodiscard]] std::uint64_t bytes_consumed() const noexcept { return consumed_; }
  /// A record or length line has begun and not completed (a stream ending
  /// here was cut).
  [[nodiscard]] bool mid_record() const noexcept { return in_data_ || digits_ > 0; }

 private:
  void fail(Error e, std::uint64_t offset) noexcept {
    error_ = e;
    error_offset_ = offset;
  }

  std::uint64_t max_record_length_;
  Error error_ = Error::kNone;
  std::uint64_t error_offset_ = 0;
  std::uint64_t records_ = 0;
  std::uint64_t oversize_records_ = 0;
  std::uint64_t consumed_ = 0;
  // Length line.
  std::uint64_t length_ = 0;
  std::size_t digits_ = 0;
  // Record data.
  bool in_data_ = false;
  std::uint64_t remaining_ = 0;  // bytes of the record still to come
  std::size_t kept_ = 0;         // bytes of it in buffer_
  std::array<std::uint8_t, kKeepBytes> buffer_;  // only [0, kept_) is read
};

template <class Sink>
void RecordIoReader::feed(std::span<const std::uint8_t> bytes, Sink& sink) {
  std::size_t i = 0;
  while (i < bytes.size() && error_ == Error::kNone) {
    if (!in_data_) {
      const std::uint8_t c = bytes[i];
      if (c == '\n') {
        if (digits_ == 0) {
          fail(Error::kBadLength, consumed_ + i);
          break;
        }
        ++i;
        in_data_ = true;
        remaining_ = length_;
        kept_ = 0;
        digits_ = 0;
        const std::uint64_t full = length_;
        length_ = 0;
        if (full == 0) {
          in_data_ = false;
          ++records_;
          sink.on_record(std::span<const std::uint8_t>{}, 0);
          continue;
        }
        // The whole record in this piece, nothing buffered: hand out a view.
        if (full <= bytes.size() - i) {
          const std::size_t n = static_cast<std::size_t>(full);
          in_data_ = false;
          ++records_;
          if (full > kKeepBytes) ++oversize_records_;
          sink.on_record(bytes.subspan(i, n < kKeepBytes ? n : kKeepBytes), full);
          i += n;
        } else {
          remaining_ = full;
          length_ = full;  // kept for on_record
        }
        continue;
      }
      if (c < '0' || c > '9') {
        fail(Error::kBadLength, consumed_ + i);
        break;
      }
      if (digits_ == kMaxLengthDigits) {
        fail(Error::kLengthTooLong, consumed_ + i);
        break;
      }
      const auto digit = static_cast<std::uint64_t>(c - '0');
      if (length_ > (UINT64_MAX - digit) / 10 || length_ * 10 + digit > max_record_length_) {
        fail(Error::kRecordTooLarge, consumed_ + i);
        break;
      }
      length_ = length_ * 10 + digit;
      ++digits_;
      ++i;
      continue;
    }
    // Inside a record that spans pieces.
    const std::size_t available = bytes.size() - i;
    const std::size_t take = remaining_ < available ? static_cast<std::size_t>(remaining_) : available;
    if (kept_ < kKeepBytes) {
      const std::size_t room = kKeepBytes - kept_;
      const std::size_t copy = take < room ? take : room;
      for (std::size_t k = 0; k < copy; ++k) buffer_[kept_ + k] = bytes[i + k];
      kept_ += copy;
    }
    i += take;
    remaining_ -= take;
    if (remaining_ == 0) {
      const std::uint64_t full = length_;
      length_ = 0;
      in_data_ = false;
      ++records_;
      if (full > kKeepBytes) ++oversize_records_;
      sink.on_record(std::span<const std::uint8_t>(buffer_.data(), kept_), full);
      kept_ = 0;
    }
  }
  consumed_ += i;
}

}  // namespace segward::mesos

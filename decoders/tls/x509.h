#pragma once
// A minimal DER walker (X.690) for the fields of a leaf certificate an
// analyst needs (RFC 5280 §4.1): serial, issuer, validity, subject. Strict
// bounds: every length is checked against the bytes it sits in; BER
// indefinite lengths, high tag numbers and lengths over 4 bytes are refused.
// Nothing after the subject (keys, extensions, signature) is read.
#include <cstdint>
#include <optional>
#include <span>

#include "decoders/common/byte_reader.h"
#include "decoders/tls/tls_event.h"

namespace segward::tls {

namespace der_tag {
inline constexpr std::uint8_t kInteger = 0x02;
inline constexpr std::uint8_t kOid = 0x06;
inline constexpr std::uint8_t kUtf8String = 0x0c;
inline constexpr std::uint8_t kPrintableString = 0x13;
inline constexpr std::uint8_t kT61String = 0x14;
inline constexpr std::uint8_t kIa5String = 0x16;
inline constexpr std::uint8_t kUtcTime = 0x17;
inline constexpr std::uint8_t kGeneralizedTime = 0x18;
inline constexpr std::uint8_t kVisibleString = 0x1a;
inline constexpr std::uint8_t kUniversalString = 0x1c;
inline constexpr std::uint8_t kBmpString = 0x1e;
inline constexpr std::uint8_t kSequence = 0x30;
inline constexpr std::uint8_t kSet = 0x31;
inline constexpr std::uint8_t kExplicit0 = 0xa0;
}  // namespace der_tag

struct DerElement {
  std::uint8_t tag = 0;
  std::span<const std::uint8_t> content;
  bool clipped = false;  // the content ran past the input and was cut (allow_clip only)
};

/// One element from `r`. std::nullopt (and `r` where it was) on a header it
/// refuses or content past the end, unless `allow_clip`: then the content is
/// what is left, marked clipped.
[[nodiscard]] std::optional<DerElement> read_der(decoders::ByteReader& r, bool allow_clip = false) noexcept;

/// UTCTime (YY < 50 is 20YY) or GeneralizedTime to Unix seconds. Accepts
/// "Z" or a +hhmm/-hhmm offset, fractional seconds (dropped), and UTCTime
/// without seconds (BER); refuses anything else.
[[nodiscard]] std::optional<std::int64_t> parse_der_time(std::uint8_t tag, std::span<const std::uint8_t> content) noexcept;

/// Days since 1970-01-01 of a proleptic Gregorian date.
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;                                  // [0, 399]
  const unsigned month_from_march = m > 2 ? m - 3 : m + 9;                         // March = 0
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;       // [0, 365]
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

enum class CertificateParse : std::uint8_t {
  kOk,
  kPartial,    // the leaf was cut by the buffer: the fields that arrived whole are set
  kMalformed,  // the fields before the fault are set
};

/// Decodes one certificate's DER into e.subject/issuer/_cn/serial/not_*.
/// `der` may be a prefix of the certificate when `complete` is false.
[[nodiscard]] CertificateParse decode_certificate(std::span<const std::uint8_t> der, bool complete, TlsEvent& e) noexcept;

/// A TLS <= 1.2 Certificate message body (RFC 5246 §7.4.2): counts the
/// certificates (those that fit), fingerprints the leaf (SHA-256, SHA-1)
/// when it is whole and decodes it. `complete` false: `body` is a prefix.
[[nodiscard]] CertificateParse decode_certificate_message(std::span<const std::uint8_t> body, bool complete,
                                                          TlsEvent& e) noexcept;

}  // namespace segward::tls

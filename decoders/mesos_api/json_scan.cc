#include "decoders/mesos_api/json_scan.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <system_error>

#include "decoders/common/ascii.h"

namespace segward::mesos::json {
namespace {

using schema::Field;
using schema::Kind;
using schema::Node;

constexpr std::size_t kMaxKeyBytes = 64;  // longer keys match no field

struct Number {
  bool integral = false;      // no fraction, no exponent
  bool fits_int64 = false;
  std::int64_t value = 0;     // when integral && fits_int64
  bool huge = false;
};

using decoders::is_digit;

// JSON number grammar from `p`; returns the end, or nullptr when malformed.
// `*truncated` is set when the input ends where more was required.
const std::uint8_t* scan_number(const std::uint8_t* p, const std::uint8_t* end, Number& out,
                                bool* truncated) noexcept {
  out = Number{};
  bool negative = false;
  if (p < end && *p == '-') {
    negative = true;
    ++p;
  }
  if (p == end) {
    if (truncated) *truncated = true;
    return nullptr;
  }
  std::uint64_t magnitude = 0;
  bool overflow = false;
  int int_significant = 0;  // significant digits before the point
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    while (p < end && is_digit(*p)) {
      const auto digit = static_cast<std::uint64_t>(*p - '0');
      if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) overflow = true;
      else magnitude = magnitude * 10 + digit;
      if (int_significant < 100000) ++int_significant;
      ++p;
    }
  } else {
    return nullptr;
  }
  bool has_fraction = false, has_exponent = false;
  int first_fraction_nonzero = 0;  // 1-based position of the first nonzero fraction digit
  if (p < end && *p == '.') {
    has_fraction = true;
    ++p;
    int position = 0;
    const std::uint8_t* digits = p;
    while (p < end && is_digit(*p)) {
      if (position < 100000) ++position;
      if (*p != '0' && first_fraction_nonzero == 0) first_fraction_nonzero = position;
      ++p;
    }
    if (p == digits) {
      if (p == end && truncated) *truncated = true;
      return nullptr;
    }
  }
  long exponent = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    has_exponent = true;
    ++p;
    bool exponent_negative = false;
    if (p < end && (*p == '+' || *p == '-')) {
      exponent_negative = *p == '-';
      ++p;
    }
    const std::uint8_t* digits = p;
    while (p < end && is_digit(*p)) {
      if (exponent < 1000000) exponent = exponent * 10 + (*p - '0');
      ++p;
    }
    if (p == digits) {
      if (p == end && truncated) *truncated = true;
      return nullptr;
    }
    if (exponent_negative) exponent = -exponent;
  }
  out.integral = !has_fraction && !has_exponent;
  if (out.integral) {
    const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
    out.fits_int64 = !overflow && magnitude <= limit;
    if (out.fits_int64) {
      out.value = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
    }
    out.huge = !out.fits_int64;
  } else {
    // Decimal order of magnitude; beyond ~1.8e308 a double overflows.
    long order = 0;
    bool nonzero = true;
    if (int_significant > 0) order = int_significant - 1 + exponent;
    else if (first_fraction_nonzero > 0) order = exponent - first_fraction_nonzero;
    else nonzero = false;
    out.huge = nonzero && order > 308;
  }
  return p;
}

class Scanner {
 public:
  Scanner(std::span<const std::uint8_t> body, FieldWriter* writer) noexcept
      : begin_(body.data()), p_(body.data()), end_(body.data() + body.size()), writer_(writer) {}

  JsonScanResult run(const Node* root) noexcept {
    skip_ws();
    if (p_ == end_) return fail(JsonError::kEmpty);
    if (root != nullptr && *p_ != '{') return fail(JsonError::kNotObject);
    Field root_field{};
    if (root != nullptr) root_field = schema::message(0, "", *root);
    const Field* pending = root != nullptr ? &root_field : nullptr;

    enum class Expect { kValue, kKeyOrClose, kValueOrClose, kCommaOrClose };
    Expect expect = Expect::kValue;
    for (;;) {
      skip_ws();
      if (p_ == end_) return fail(JsonError::kTruncated);
      const std::uint8_t c = *p_;
      switch (expect) {
        case Expect::kValue: {
          if (c == '{' || c == '[') {
            if (depth_ == kMaxJsonDepth) return fail(JsonError::kTooDeep);
            Frame& frame = stack_[depth_++];
            if (depth_ > result_.max_depth) result_.max_depth = depth_;
            ++p_;
            if (c == '{') {
              frame = Frame{pending != nullptr && pending->kind == Kind::kMessage ? pending->child : nullptr, pending,
                            false};
              if (frame.node != nullptr && writer_ != nullptr) writer_->begin(*pending);
              expect = Expect::kKeyOrClose;
            } else {
              const Field* element = pending != nullptr && pending->repeated ? pending : nullptr;
              frame = Frame{nullptr, element, true};
              if (element != nullptr && writer_ != nullptr) writer_->on_array_begin(*element);
              expect = Expect::kValueOrClose;
            }
            continue;
          }
          const JsonError e = scalar(pending);
          if (e != JsonError::kNone) return fail(e);
          if (depth_ == 0) return finish();
          expect = Expect::kCommaOrClose;
          continue;
        }
        case Expect::kKeyOrClose:
          if (c == '}') {
            close();
            if (depth_ == 0) return finish();
            expect = Expect::kCommaOrClose;
            continue;
          }
          if (const JsonError e = key(pending); e != JsonError::kNone) return fail(e);
          expect = Expect::kValue;
          continue;
        case Expect::kValueOrClose:
          if (c == ']') {
            close();
            if (depth_ == 0) return finish();
            expect = Expect::kCommaOrClose;
            continue;
          }
          pending = stack_[depth_ - 1].field;
          expect = Expect::kValue;
          continue;
        case Expect::kCommaOrClose: {
          const Frame& top = stack_[depth_ - 1];
          if (c == ',') {
            ++p_;
            if (top.array) {
              pending = top.field;
              expect = Expect::kValue;
            } else {
              skip_ws();
              if (p_ == end_) return fail(JsonError::kTruncated);
              if (const JsonError e = key(pending); e != JsonError::kNone) return fail(e);
              expect = Expect::kValue;
            }
            continue;
          }
          if ((c == ']' && top.array) || (c == '}' && !top.array)) {
            close();
            if (depth_ == 0) return finish();
            continue;
          }
          return fail(JsonError::kSyntax);
        }
      }
    }
  }

 private:
  struct Frame {
    const Node* node;    // objects: the message they stand for; nullptr: skipped
    const Field* field;  // arrays: the repeated field of their elements; objects: the field they are
    bool array;
  };

  JsonScanResult fail(JsonError error) noexcept {
    result_.error = error;
    result_.offset = static_cast<std::size_t>(p_ - begin_);
    return result_;
  }

  JsonScanResult finish() noexcept {
    skip_ws();
    if (p_ != end_) return fail(JsonError::kTrailingData);
    return result_;
  }

  void skip_ws() noexcept {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  void close() noexcept {
    ++p_;
    const Frame& frame = stack_[--depth_];
    if (!frame.array && frame.node != nullptr && writer_ != nullptr) writer_->end(*frame.field);
  }

  // "name" ':' -> the field it names in the open object (or nullptr).
  JsonError key(const Field*& pending) noexcept {
    if (*p_ != '"') return JsonError::kSyntax;
    std::array<char, kMaxKeyBytes> buffer{};
    std::size_t size = 0;
    bool truncated = false;
    if (const JsonError e = string(buffer.data(), buffer.size(), size, truncated); e != JsonError::kNone) return e;
    skip_ws();
    if (p_ == end_) return JsonError::kTruncated;
    if (*p_ != ':') return JsonError::kSyntax;
    ++p_;
    const Node* node = stack_[depth_ - 1].node;
    pending = node != nullptr && !truncated ? schema::find_field(*node, std::string_view(buffer.data(), size)) : nullptr;
    return JsonError::kNone;
  }

  JsonError scalar(const Field* field) noexcept {
    const std::uint8_t c = *p_;
    if (c == '"') {
      const bool wanted = field != nullptr && field->kind != Kind::kMessage && field->kind != Kind::kBytes;
      std::size_t size = 0;
      bool truncated = false;
      if (const JsonError e = string(wanted ? scratch_.data() : nullptr, scratch_.size(), size, truncated);
          e != JsonError::kNone) {
        return e;
      }
      if (wanted && writer_ != nullptr) string_value(*field, std::string_view(scratch_.data(), size), truncated);
      return JsonError::kNone;
    }
    if (c == '-' || is_digit(c)) {
      Number number;
      bool truncated = false;
      const std::uint8_t* start = p_;
      const std::uint8_t* after = scan_number(p_, end_, number, &truncated);
      if (after == nullptr) return truncated ? JsonError::kTruncated : JsonError::kBadNumber;
      p_ = after;
      if (number.huge) result_.huge_number = true;
      if (field != nullptr && writer_ != nullptr) {
        number_value(*field, number, std::string_view(reinterpret_cast<const char*>(start), after - start));
      }
      return JsonError::kNone;
    }
    if (c == 't' || c == 'f' || c == 'n') {
      const std::string_view word = c == 't' ? "true" : c == 'f' ? "false" : "null";
      for (const char w : word) {
        if (p_ == end_) return JsonError::kTruncated;
        if (*p_ != static_cast<std::uint8_t>(w)) return JsonError::kSyntax;
        ++p_;
      }
      if (c != 'n' && field != nullptr && field->kind == Kind::kBool && writer_ != nullptr) {
        writer_->on_varint(*field, c == 't' ? 1 : 0);
      }
      return JsonError::kNone;
    }
    return JsonError::kSyntax;
  }

  void string_value(const Field& field, std::string_view value, bool truncated) noexcept {
    switch (field.kind) {
      case Kind::kString:
        writer_->on_text(field, value, truncated);
        return;
      case Kind::kEnum:
        writer_->on_enum_name(field, value, truncated);
        return;
      case Kind::kBool:
        if (value == "true") writer_->on_varint(field, 1);
        else if (value == "false") writer_->on_varint(field, 0);
        return;
      case Kind::kInt:
      case Kind::kDouble: {
        // stout: a number may be given as a string.
        Number number;
        const auto* begin = reinterpret_cast<const std::uint8_t*>(value.data());
        const auto* end = begin + value.size();
        if (truncated || value.empty() || scan_number(begin, end, number, nullptr) != end) return;
        if (number.huge) result_.huge_number = true;
        number_value(field, number, value);
        return;
      }
      case Kind::kMessage:
      case Kind::kBytes:
        return;
    }
  }

  void number_value(const Field& field, const Number& number, std::string_view text) noexcept {
    if (field.kind == Kind::kInt) {
      if (number.integral && number.fits_int64) writer_->on_varint(field, static_cast<std::uint64_t>(number.value));
    } else if (field.kind == Kind::kDouble) {
      double value = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec == std::errc() && ptr == text.data() + text.size()) writer_->on_double(field, value);
    }
  }

  // A string from the opening quote; unescaped into dst (when not nullptr)
  // up to `cap` bytes, `truncated` when more did not fit.
  JsonError string(char* dst, std::size_t cap, std::size_t& size, bool& truncated) noexcept {
    ++p_;  // the opening quote
    size = 0;
    truncated = false;
    // Plain runs are cut to fit; an escape's UTF-8 sequence is never split.
    auto put = [&](const char* bytes, std::size_t n, bool splittable) {
      if (dst == nullptr || truncated) return;
      if (n > cap - size) {
        if (splittable) {
          const std::size_t room = cap - size;
          for (std::size_t i = 0; i < room; ++i) dst[size + i] = bytes[i];
          size = cap;
        }
        truncated = true;
        return;
      }
      for (std::size_t i = 0; i < n; ++i) dst[size + i] = bytes[i];
      size += n;
    };
    for (;;) {
      const std::uint8_t* run = p_;
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && *p_ >= 0x20) ++p_;
      put(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p_ - run), true);
      if (p_ == end_) return JsonError::kTruncated;
      if (*p_ == '"') {
        ++p_;
        return JsonError::kNone;
      }
      if (*p_ < 0x20) return JsonError::kBadString;
      // An escape.
      ++p_;
      if (p_ == end_) return JsonError::kTruncated;
      const std::uint8_t e = *p_++;
      char single = 0;
      switch (e) {
        case '"': single = '"'; break;
        case '\\': single = '\\'; break;
        case '/': single = '/'; break;
        case 'b': single = '\b'; break;
        case 'f': single = '\f'; break;
        case 'n': single = '\n'; break;
        case 'r': single = '\r'; break;
        case 't': single = '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (const JsonError err = hex4(cp); err != JsonError::kNone) return err;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return JsonError::kBadString;  // a lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 2) return JsonError::kTruncated;
            if (p_[0] != '\\' || p_[1] != 'u') return JsonError::kBadString;
            p_ += 2;
            std::uint32_t low = 0;
            if (const JsonError err = hex4(low); err != JsonError::kNone) return err;
            if (low < 0xDC00 || low > 0xDFFF) return JsonError::kBadString;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          std::array<char, 4> utf8{};
          std::size_t n = 0;
          if (cp < 0x80) {
            utf8[n++] = static_cast<char>(cp);
          } else if (cp < 0x800) {
            utf8[n++] = static_cast<char>(0xC0 | (cp >> 6));
            utf8[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            utf8[n++] = static_cast<char>(0xE0 | (cp >> 12));
            utf8[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            utf8[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            utf8[n++] = static_cast<char>(0xF0 | (cp >> 18));
            utf8[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            utf8[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            utf8[n++] = static_cast<char>(0x80 | (cp & 0x3F));
          }
          put(utf8.data(), n, false);
          continue;
        }
        default:
          return JsonError::kBadString;
      }
      put(&single, 1, false);
    }
  }

  JsonError hex4(std::uint32_t& cp) noexcept {
    if (end_ - p_ < 4) {
      for (const std::uint8_t* q = p_; q < end_; ++q) {
        if (decoders::hex_value(*q) < 0) return JsonError::kBadString;
      }
      return JsonError::kTruncated;
    }
    for (int i = 0; i < 4; ++i) {
      const int v = decoders::hex_value(p_[i]);
      if (v < 0) return JsonError::kBadString;
      cp = (cp << 4) | static_cast<std::uint32_t>(v);
    }
    p_ += 4;
    return JsonError::kNone;
  }

  const std::uint8_t* begin_;
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  FieldWriter* writer_;
  std::array<Frame, kMaxJsonDepth> stack_{};
  std::size_t depth_ = 0;
  JsonScanResult result_;
  std::array<char, kMaxStringBytes> scratch_{};
};

}  // namespace

std::string_view json_error_name(JsonError error) noexcept {
  switch (error) {
    case JsonError::kNone: return "none";
    case JsonError::kEmpty: return "empty";
    case JsonError::kNotObject: return "not_object";
    case JsonError::kSyntax: return "syntax";
    case JsonError::kBadString: return "bad_string";
    case JsonError::kBadNumber: return "bad_number";
    case JsonError::kTooDeep: return "too_deep";
    case JsonError::kTrailingData: return "trailing_data";
    case JsonError::kTruncated: return "truncated";
  }
  return "unknown";
}

JsonScanResult scan_json(std::span<const std::uint8_t> body, const schema::Node* root, FieldWriter* writer) noexcept {
  Scanner scanner(body, writer);
  return scanner.run(root);
}

}  // namespace segward::mesos::json

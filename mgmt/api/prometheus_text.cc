#include "mgmt/api/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace segward::api {

namespace {

std::string_view type_name(PrometheusText::Type type) {
  return type == PrometheusText::Type::kCounter ? "counter" : "gauge";
}

// Backslash and newline always; the double quote only inside a label value.
std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string PrometheusText::escape_label_value(std::string_view value) { return escape(value, true); }

std::string PrometheusText::escape_help(std::string_view help) { return escape(help, false); }

PrometheusText::Family& PrometheusText::family(std::string_view name, Type type, std::string_view help) {
  // A linear search: a scrape has a few hundred families at most.
  for (Family& f : families_) {
    if (f.name != name) continue;
    if (f.type != type) {
      throw std::logic_error("metric family " + std::string(name) + " added as both counter and gauge");
    }
    return f;
  }
  return families_.emplace_back(Family{std::string(name), type, std::string(help), {}});
}

void PrometheusText::add_sample(std::string_view name, Type type, std::string_view help, const Labels& labels,
                                std::string_view value) {
  Family& f = family(name, type, help);
  f.samples += name;
  if (!labels.empty()) {
    f.samples += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) f.samples += ',';
      f.samples += labels[i].first;
      f.samples += "=\"";
      f.samples += escape_label_value(labels[i].second);
      f.samples += '"';
    }
    f.samples += '}';
  }
  f.samples += ' ';
  f.samples += value;
  f.samples += '\n';
}

void PrometheusText::add(std::string_view name, Type type, std::string_view help, const Labels& labels,
                         std::uint64_t value) {
  add_sample(name, type, help, labels, std::to_string(value));
}

void PrometheusText::add(std::string_view name, Type type, std::string_view help, const Labels& labels,
                         double value) {
  if (std::isnan(value)) return add_sample(name, type, help, labels, "NaN");
  if (std::isinf(value)) return add_sample(name, type, help, labels, value > 0 ? "+Inf" : "-Inf");
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  add_sample(name, type, help, labels, std::string_view(buf, static_cast<std::size_t>(end - buf)));
}

std::string PrometheusText::str() const {
  std::string out;
  for (const Family& f : families_) {
    out += "# HELP ";
    out += f.name;
    out += ' ';
    out += escape_help(f.help);
    out += "\n# TYPE ";
    out += f.name;
    out += ' ';
    out += type_name(f.type);
    out += '\n';
    out += f.samples;
  }
  return out;
}

}  // namespace segward::api

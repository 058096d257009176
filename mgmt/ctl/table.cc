#include "mgmt/ctl/table.h"

#include <algorithm>

namespace segward::ctl {

Table::Table(std::vector<std::string> header) : header_(std::move(header)), right_(header_.size(), false) {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].ends_with('>')) {
      header_[i].pop_back();
      right_[i] = true;
    }
  }
}

void Table::row(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> width(header_.size());
  for (std::size_t i = 0; i < header_.size(); ++i) {
    width[i] = header_[i].size();
    for (const auto& r : rows_) width[i] = std::max(width[i], r[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const std::string pad(width[i] - cells[i].size(), ' ');
      if (i > 0) s += "  ";
      s += right_[i] ? pad + cells[i] : cells[i] + (i + 1 < cells.size() ? pad : "");
    }
    out << s << '\n';
  };
  line(header_);
  for (const auto& r : rows_) line(r);
}

}  // namespace segward::ctl

#pragma once
// An aligned text table for segwardctl's human output: each column as wide
// as its widest cell, numbers right-aligned.
#include <ostream>
#include <string>
#include <vector>

namespace segward::ctl {

class Table {
 public:
  // A header ending in '>' ("PKTS>") marks a right-aligned column (the '>'
  // is not printed).
  explicit Table(std::vector<std::string> header);
  void row(std::vector<std::string> cells);  // missing cells are blank
  [[nodiscard]] bool empty() const { return rows_.empty(); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace segward::ctl

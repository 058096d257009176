#pragma once
// The line the EVE writer produces for one event, through a real file.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "mgmt/eve_writer.h"

namespace segward::mgmt::testing {

inline std::string eve_line(const events::Event& e, const std::string& file_name) {
  const std::string path = ::testing::TempDir() + "/" + file_name;
  std::remove(path.c_str());
  {
    EveWriter w(path);
    w.write(e);
  }
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace segward::mgmt::testing

#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "mgmt/sensor.h"

namespace segward::mgmt {

// The human summary `segward replay` prints when it is done.
void print_replay_summary(std::FILE* out, const std::vector<std::string>& captures, const SensorReport& report,
                          const std::string& eve_path);

}  // namespace segward::mgmt

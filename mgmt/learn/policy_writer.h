#pragma once
// Writes a policy back out as a policy file (the format mgmt/policy_file.h
// reads): segments and services in flow style, one line each; rules in
// block style with their L7 conditions. parse_policy of the text gives the
// same policy (names, lists, actions; not the source locations).
//
// With a learn proposal, every segment, service and rule gets comments
// saying what evidence backs it (hosts, flows, requests, first and last
// seen), and the file a header saying how it was made.
#include <string>

#include "dataplane/policy/policy.h"
#include "mgmt/learn/learner.h"

namespace segward::learn {

std::string write_policy_yaml(const policy::Policy& policy);
// `origin`: one line for the header, e.g. "from 2 captures: a.pcap, b.pcap".
std::string write_policy_yaml(const Proposal& proposal, const std::string& origin);

// A YAML scalar for `text`: plain when that reads back as the same string,
// double-quoted otherwise.
std::string yaml_scalar(const std::string& text);

}  // namespace segward::learn

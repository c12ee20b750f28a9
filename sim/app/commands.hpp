#pragma once
// The subcommands of `dais`, one file each; main.cpp dispatches to them.

#include <string>
#include <vector>

#include "models/catalog.hpp"

namespace dais::app {

// dais run SCENARIO [--out DIR] [--replicates N] [--seed S] [--jobs N] [--resume] [--quiet]
int run_command(const std::vector<std::string>& args, const models::ModelCatalog& catalog,
                const std::vector<std::string>& command_line);

// dais compare RESULTS_DIR --by PARAM [--baseline VALUE] [--metric M ...] [--confidence C]
int compare_command(const std::vector<std::string>& args);

extern const char* const run_help;
extern const char* const compare_help;

}  // namespace dais::app

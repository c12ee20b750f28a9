#pragma once
// The subcommands of `dais`, one file each; main.cpp dispatches to them.

#include <string>
#include <vector>

#include "models/catalog.hpp"
#include "sim/batch/cluster.hpp"

namespace dais::app {

// dais run SCENARIO [--out DIR] [--replicates N] [--seed S] [--jobs N] [--resume] [--quiet]
// Under mpirun every rank runs it; rank 0 alone prints and writes.
int run_command(const std::vector<std::string>& args, const models::ModelCatalog& catalog,
                const std::vector<std::string>& command_line, batch::Cluster& cluster);

// dais compare RESULTS_DIR --by PARAM [--baseline VALUE] [--metric M ...] [--confidence C]
int compare_command(const std::vector<std::string>& args);

// dais report RESULTS_DIR [--out FILE] [--by PARAM] [--baseline VALUE] [--metric M ...] [--confidence C]
int report_command(const std::vector<std::string>& args);

// dais replay yuma INPUT.json [--version V] [--out DIR] [--bonds] [--kappa K] ...: Yuma consensus over recorded
// stakes and weights, to validators.csv, miners.csv and a manifest.
int replay_command(const std::vector<std::string>& args, const std::vector<std::string>& command_line);

extern const char* const run_help;
extern const char* const compare_help;
extern const char* const report_help;
const char* replay_help_text();  // built from the declared Yuma parameters

}  // namespace dais::app

#pragma once
// The parameters a data-valuation reward rule declares (name, type, default, unit, range, description), so
// `dais list rules` documents them and the scenario loader validates them, and their reading into the
// structs of data_model.hpp and valuation.hpp.

#include <string>
#include <string_view>
#include <vector>

#include "models/rewards/data_valuation/data_model.hpp"
#include "models/rewards/data_valuation/valuation.hpp"
#include "sim/scenario/params.hpp"

namespace dais::models::data_valuation {

// Everything the parameters set: the built-in data model (each provider contributes points_per_provider
// points, its label-noise rate drawn Uniform[label_noise_min, label_noise_max] from its own stream) and the
// valuation.
struct Settings {
  DataModel model;
  std::size_t points_per_provider = 50;
  double label_noise_min = 0.0;
  double label_noise_max = 0.3;
  ValuationConfig valuation;
};

std::vector<scenario::ParamSpec> param_specs();
// Checks what no single range can: "" when valid, else a message in the loader's form.
std::string check_params(const scenario::Params& params);
// Reads validated parameters (defaults filled in).
Settings settings_from_params(const scenario::Params& params);

// Names as the parameters spell them.
const char* to_string(Method method) noexcept;
const char* to_string(Players players) noexcept;
const char* to_string(Score score) noexcept;
const char* to_string(VoteTies ties) noexcept;
const char* to_string(EmptyUtility empty) noexcept;

}  // namespace dais::models::data_valuation

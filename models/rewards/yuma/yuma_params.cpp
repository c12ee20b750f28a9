// Yuma's parameters: names, the declarations scenario files and `dais list` use, and their checks.

#include <fmt/format.h>

#include <cctype>
#include <stdexcept>

#include "models/rewards/yuma/yuma.hpp"

namespace dais::models {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view to_string(YumaVersion version) noexcept {
  switch (version) {
    case YumaVersion::yuma1: return "yuma1";
    case YumaVersion::yuma2: return "yuma2";
    case YumaVersion::yuma2b: return "yuma2b";
    case YumaVersion::yuma2c: return "yuma2c";
    case YumaVersion::yuma3: return "yuma3";
    case YumaVersion::yuma3_liquid: return "yuma3_liquid";
  }
  return "?";
}

std::optional<YumaVersion> parse_yuma_version(std::string_view name) noexcept {
  const std::string key = lower(name);
  for (YumaVersion v : all_yuma_versions)
    if (key == to_string(v)) return v;
  return std::nullopt;
}

std::string_view to_string(LiquidAlphaConsensus mode) noexcept {
  switch (mode) {
    case LiquidAlphaConsensus::current: return "current";
    case LiquidAlphaConsensus::previous: return "previous";
    case LiquidAlphaConsensus::mixed: return "mixed";
  }
  return "?";
}

std::optional<LiquidAlphaConsensus> parse_liquid_alpha_consensus(std::string_view name) noexcept {
  const std::string key = lower(name);
  for (LiquidAlphaConsensus m : {LiquidAlphaConsensus::current, LiquidAlphaConsensus::previous, LiquidAlphaConsensus::mixed})
    if (key == to_string(m)) return m;
  return std::nullopt;
}

const std::vector<scenario::ParamSpec>& yuma_param_specs() {
  using scenario::boolean_param;
  using scenario::integer_param;
  using scenario::real_param;
  using scenario::text_param;
  static const std::vector<scenario::ParamSpec> specs = [] {
    std::vector<std::string> versions;
    for (YumaVersion v : all_yuma_versions) versions.emplace_back(to_string(v));
    const YumaParams d;
    return std::vector<scenario::ParamSpec>{
        text_param("version", std::string(to_string(d.version)), versions,
                   "bond rule: yuma1, yuma2 (subtensor), yuma2b (previous weights), yuma2c (stake capacity), yuma3 "
                   "(relative bonds), yuma3_liquid (yuma3 with liquid alpha)"),
        real_param("kappa", d.kappa, "", "stake share that must support a weight for consensus to reach it", 0.0, 1.0),
        real_param("bond_penalty", d.bond_penalty, "",
                   "share of clipped-away weight that earns no bonds (yuma1, yuma2, yuma2b)", 0.0, 1.0),
        real_param("bond_moving_avg", d.bond_moving_avg, "",
                   "bonds move at rate 1 - bond_moving_avg per epoch (yuma2, yuma2b, yuma3; subtensor 0.9)", 0.0, 1.0),
        real_param("alpha_low", d.alpha_low, "", "liquid alpha's lowest bond rate (yuma3_liquid; subtensor 0.7)", 0.0, 1.0),
        real_param("alpha_high", d.alpha_high, "", "liquid alpha's highest bond rate (yuma3_liquid; subtensor 0.9)", 0.0,
                   1.0),
        real_param("alpha_sigmoid_steepness", d.alpha_sigmoid_steepness, "",
                   "steepness of liquid alpha's sigmoid in the distance from consensus (yuma3_liquid)", 0.0, 1e6),
        real_param("decay_rate", d.decay_rate, "1/epoch", "share of bonds lost per epoch (yuma2c)", 0.0, 1.0),
        real_param("capacity_alpha", d.capacity_alpha, "1/epoch",
                   "share of its bond capacity a validator may buy per epoch (yuma2c)", 0.0, 1.0),
        real_param("capacity_scale", d.capacity_scale, "",
                   "bond capacity per unit of stake share (yuma2c; the package's 2^64)", 1.0, 1e300),
        real_param("validator_emission_ratio", d.validator_emission_ratio, "",
                   "validators' share of an epoch's emission; miners get the rest", 0.0, 1.0),
        boolean_param("winner_takes_all", d.winner_takes_all,
                      "all incentive to the miners of highest rank, split equally among exact ties"),
        text_param("liquid_alpha_consensus_mode", std::string(to_string(d.liquid_alpha_consensus)),
                   {"current", "previous", "mixed"},
                   "consensus liquid alpha measures a buyer against: this epoch's, the last, or the larger (yuma3_liquid)"),
        integer_param("consensus_quantization", d.consensus_quantization, "",
                      "consensus normalized and rounded down to multiples of 1/q (65535: u16); 0: clip at the raw quantile",
                      0.0, 2147483647.0),
    };
  }();
  return specs;
}

YumaParams yuma_params_from(const scenario::Params& params) {
  YumaParams p;
  const auto version = parse_yuma_version(params.text("version"));
  if (!version) throw std::invalid_argument("yuma: unknown version \"" + params.text("version") + "\"");
  p.version = *version;
  p.kappa = params.real("kappa");
  p.bond_penalty = params.real("bond_penalty");
  p.bond_moving_avg = params.real("bond_moving_avg");
  p.alpha_low = params.real("alpha_low");
  p.alpha_high = params.real("alpha_high");
  p.alpha_sigmoid_steepness = params.real("alpha_sigmoid_steepness");
  p.decay_rate = params.real("decay_rate");
  p.capacity_alpha = params.real("capacity_alpha");
  p.capacity_scale = params.real("capacity_scale");
  p.validator_emission_ratio = params.real("validator_emission_ratio");
  p.winner_takes_all = params.boolean("winner_takes_all");
  const auto mode = parse_liquid_alpha_consensus(params.text("liquid_alpha_consensus_mode"));
  if (!mode)
    throw std::invalid_argument("yuma: unknown liquid_alpha_consensus_mode \"" +
                                params.text("liquid_alpha_consensus_mode") + "\"");
  p.liquid_alpha_consensus = *mode;
  p.consensus_quantization = params.integer("consensus_quantization");
  const std::string problem = check_yuma_params(p);
  if (!problem.empty()) throw std::invalid_argument("yuma: " + problem);
  return p;
}

std::string check_yuma_params(const YumaParams& p) {
  const auto unit = [](const char* name, double x) -> std::string {
    if (x >= 0.0 && x <= 1.0) return "";
    return fmt::format("expected {} in [0, 1], found {}", name, x);
  };
  for (const auto& [name, value] :
       {std::pair{"kappa", p.kappa}, std::pair{"bond_penalty", p.bond_penalty},
        std::pair{"bond_moving_avg", p.bond_moving_avg}, std::pair{"alpha_low", p.alpha_low},
        std::pair{"alpha_high", p.alpha_high}, std::pair{"decay_rate", p.decay_rate},
        std::pair{"capacity_alpha", p.capacity_alpha}, std::pair{"validator_emission_ratio", p.validator_emission_ratio}}) {
    std::string problem = unit(name, value);
    if (!problem.empty()) return problem;
  }
  if (!(p.alpha_sigmoid_steepness >= 0.0))
    return fmt::format("expected alpha_sigmoid_steepness >= 0, found {}", p.alpha_sigmoid_steepness);
  if (!(p.capacity_scale >= 1.0 && p.capacity_scale <= 1e300))
    return fmt::format("expected capacity_scale in [1, 1e300], found {}", p.capacity_scale);
  if (p.consensus_quantization < 0 || p.consensus_quantization > 2147483647)
    return fmt::format("expected consensus_quantization in [0, 2147483647], found {}", p.consensus_quantization);
  if (!(p.alpha_low <= p.alpha_high))
    return fmt::format("expected alpha_low <= alpha_high, found {} > {}", p.alpha_low, p.alpha_high);
  return "";
}

}  // namespace dais::models

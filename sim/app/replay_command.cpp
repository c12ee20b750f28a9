// `dais replay yuma`: Yuma consensus over recorded stakes and weights (the input fields of
// ../shared/yuma-cases/SCHEMA.md), epoch by epoch, to tidy CSV.

#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/rewards/yuma/yuma.hpp"
#include "sim/app/cli.hpp"
#include "sim/app/commands.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/csv.hpp"
#include "sim/io/manifest.hpp"
#include "sim/scenario/scenario.hpp"

namespace dais::app {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using json = nlohmann::json;
using models::YumaParams;
using models::YumaVersion;

namespace {

// The help text; {params} becomes two lines per declared Yuma parameter.
constexpr const char* replay_help_template = R"(usage: dais replay yuma INPUT.json [options]

Replays Yuma consensus over the epochs of INPUT.json: each epoch's validator stakes and weight matrix, in
the format of ../shared/yuma-cases/SCHEMA.md. Only its inputs are read: "validators" and "servers" (names,
in row and column order) and, per epoch, "stakes" [V] and "weights" [V][N]; reference outputs in the file
are ignored. The file's "version" and "params" are honoured; options on the command line override them.
Bonds, the previous consensus and (yuma2b) the previous weights carry from one epoch to the next.

Writes into the output folder, each file atomically:
  validators.csv  one row per epoch x validator: stake and its share, dividends, relative dividends
                  (dividend share - stake share), dividends per 1000 staked, validator emission, validator
                  trust, and a summary of its bonds (sum, normalized sum, largest normalized bond)
  miners.csv      one row per epoch x miner: prerank, consensus, consensus_u16, rank, incentive, trust,
                  miner emission
  bonds.csv       with --bonds: one row per epoch x validator x miner, the bond and its normalized value
  manifest.json   dais version, the input file and its hash, the effective parameters and where each came from

Emission per epoch is total_epoch_emission: validators get validator_emission_ratio of it by dividends,
miners the rest by incentive. "Per 1000 staked" counts a validator's stake as its share of total_subnet_stake.

options:
  --version V                      yuma1, yuma2, yuma2b, yuma2c, yuma3 or yuma3_liquid
                                   (default: the file's "version", else yuma3)
  --out DIR                        output folder (default: results/replay_<input stem>)
  --bonds                          also write bonds.csv
  --total-epoch-emission E         tokens emitted per epoch (default 100)
  --total-subnet-stake T           the subnet's total stake in tokens (default 1e6)
{params}

examples:
  dais replay yuma ../shared/yuma-cases/case01_YUMA3_bp1.0.json
  dais replay yuma ../shared/yuma-cases/case11_YUMA2_bp1.0.json --version yuma3_liquid --out results/case11_liquid
  dais replay yuma weights.json --kappa 0.6 --bond-penalty 0 --bonds
)";

constexpr std::size_t max_reported_errors = 100;

std::string option_name(const std::string& param) {
  std::string out = param;
  for (char& c : out)
    if (c == '_') c = '-';
  return out;
}

// The options text of every Yuma parameter but the version, from its declaration.
std::string params_help() {
  std::string out;
  for (const scenario::ParamSpec& spec : models::yuma_param_specs()) {
    if (spec.name == "version") continue;
    const std::string left = fmt::format("  --{} {}", option_name(spec.name), spec.type == scenario::ParamType::boolean ? "true|false" : "X");
    const std::string range = scenario::describe_range(spec);
    out += fmt::format("{:<35}{}\n{:<35}(default {}{})\n", left, spec.description, "", scenario::describe_default(spec),
                       range == "-" ? "" : ", " + range);
  }
  return out;
}

std::string found(const json& v) {
  if (v.is_object()) return v.empty() ? "an empty object" : "an object";
  if (v.is_array()) return v.empty() ? "an empty array" : fmt::format("an array of {}", v.size());
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    return json(s.size() > 60 ? s.substr(0, 57) + "..." : s).dump();
  }
  return v.dump();
}

std::size_t edits(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Where a parameter's value came from, for the manifest.
enum class Source { preset, file, command_line };
const char* to_string(Source s) {
  return s == Source::preset ? "default" : s == Source::file ? "input file" : "command line";
}

struct ReplaySettings {
  YumaParams yuma;
  double total_epoch_emission = 100.0;
  double total_subnet_stake = 1e6;
  std::map<std::string, Source> sources;
  std::optional<std::pair<std::int64_t, std::int64_t>> bond_reset;  // epoch, server
};

// The inputs of one replay, read strictly: every problem is collected with its JSON pointer.
class InputReader {
 public:
  explicit InputReader(std::string file) : file_(std::move(file)) {}

  void error(const std::string& pointer, const std::string& message) {
    errors_.push_back({file_, pointer, message});
  }
  void expected(const std::string& pointer, const std::string& what, const json& v) {
    error(pointer, "expected " + what + ", found " + found(v));
  }
  [[nodiscard]] bool failed() const { return !errors_.empty(); }
  [[noreturn]] void raise() {
    if (errors_.size() > max_reported_errors) {
      const std::size_t more = errors_.size() - max_reported_errors;
      errors_.resize(max_reported_errors);
      errors_.push_back({file_, "", fmt::format("... and {} more problems", more)});
    }
    throw scenario::ScenarioErrors(errors_);
  }

  std::vector<std::string> names(const json& doc, const char* key) {
    const std::string pointer = std::string("/") + key;
    std::vector<std::string> out;
    if (!doc.contains(key)) {
      error("", fmt::format("expected a key \"{}\" (an array of names), found none", key));
      return out;
    }
    const json& v = doc[key];
    if (!v.is_array() || v.empty()) {
      expected(pointer, "a non-empty array of names", v);
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i].is_string())
        out.push_back(v[i].get<std::string>());
      else
        expected(fmt::format("{}/{}", pointer, i), "a name (a string)", v[i]);
    }
    return out;
  }

  // A non-negative finite number.
  std::optional<double> amount(const json& v, const std::string& pointer) {
    if (v.is_number() && std::isfinite(v.get<double>()) && v.get<double>() >= 0.0) return v.get<double>();
    expected(pointer, "a non-negative number", v);
    return std::nullopt;
  }

  // Checks every epoch's stakes and weights; the values are read again when the epoch is replayed.
  void epochs(const json& doc, std::size_t nv, std::size_t nm) {
    if (!doc.contains("epochs")) {
      error("", "expected a key \"epochs\" (an array of epochs, each with \"stakes\" and \"weights\"), found none");
      return;
    }
    const json& epochs = doc["epochs"];
    if (!epochs.is_array() || epochs.empty()) {
      expected("/epochs", "a non-empty array of epochs", epochs);
      return;
    }
    for (std::size_t e = 0; e < epochs.size() && errors_.size() <= max_reported_errors; ++e) {
      const std::string pointer = fmt::format("/epochs/{}", e);
      const json& epoch = epochs[e];
      if (!epoch.is_object()) {
        expected(pointer, "an epoch (an object with \"stakes\" and \"weights\")", epoch);
        continue;
      }
      if (!epoch.contains("stakes")) {
        error(pointer, fmt::format("expected a key \"stakes\" (an array of {} numbers), found none", nv));
      } else if (const json& s = epoch["stakes"]; !s.is_array() || s.size() != nv) {
        expected(pointer + "/stakes", fmt::format("an array of {} numbers, one per validator", nv), s);
      } else {
        double total = 0.0;
        for (std::size_t i = 0; i < nv; ++i)
          if (const auto x = amount(s[i], fmt::format("{}/stakes/{}", pointer, i))) total += *x;
        if (!(total > 0.0)) expected(pointer + "/stakes", "at least one positive stake", s);
      }
      if (!epoch.contains("weights")) {
        error(pointer, fmt::format("expected a key \"weights\" ({} arrays of {} numbers), found none", nv, nm));
      } else if (const json& w = epoch["weights"]; !w.is_array() || w.size() != nv) {
        expected(pointer + "/weights", fmt::format("an array of {} rows, one per validator", nv), w);
      } else {
        for (std::size_t i = 0; i < nv; ++i) {
          const std::string row = fmt::format("{}/weights/{}", pointer, i);
          if (!w[i].is_array() || w[i].size() != nm) {
            expected(row, fmt::format("an array of {} numbers, one per server", nm), w[i]);
            continue;
          }
          for (std::size_t j = 0; j < nm; ++j) amount(w[i][j], fmt::format("{}/{}", row, j));
        }
      }
    }
  }

  // The file's "version" and "params", over the defaults.
  void settings(const json& doc, ReplaySettings& out, bool version_given) {
    std::optional<YumaVersion> file_version;
    if (doc.contains("version")) {
      const json& v = doc["version"];
      if (v.is_string()) file_version = models::parse_yuma_version(v.get<std::string>());
      if (!file_version) expected("/version", version_choices(), v);
    }
    if (file_version && !version_given) {
      out.yuma.version = *file_version;
      out.sources["version"] = Source::file;
    }
    if (!doc.contains("params") || doc["params"].is_null()) return;
    const json& params = doc["params"];
    if (!params.is_object()) {
      expected("/params", "an object of parameters", params);
      return;
    }
    std::vector<std::string> known;
    for (const scenario::ParamSpec& spec : models::yuma_param_specs()) known.push_back(spec.name);
    const std::vector<std::string> replay_keys = {"total_epoch_emission", "total_subnet_stake", "maxint_yuma2c",
                                                  "liquid_alpha",         "bond_reset",         "use_full_matrices"};
    // The reference's keys that no computation reads (SCHEMA.md §1): accepted, ignored.
    const std::vector<std::string> informational = {"override_consensus_high", "override_consensus_low", "consensus_impl"};
    known.insert(known.end(), replay_keys.begin(), replay_keys.end());
    known.insert(known.end(), informational.begin(), informational.end());

    for (const auto& [key, v] : params.items()) {
      const std::string pointer = "/params/" + key;
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string hint;
        std::size_t best = std::clamp<std::size_t>(key.size() / 3, 1, 3) + 1;
        for (const std::string& k : known) {
          if (const std::size_t d = edits(key, k); d < best) {
            best = d;
            hint = k;
          }
        }
        error(pointer, fmt::format("unknown parameter \"{}\"{}", key, hint.empty() ? "" : fmt::format("; did you mean \"{}\"?", hint)));
        continue;
      }
      if (key == "version") {
        std::optional<YumaVersion> version;
        if (v.is_string()) version = models::parse_yuma_version(v.get<std::string>());
        if (!version) {
          expected(pointer, version_choices(), v);
        } else if (file_version && *version != *file_version) {
          expected(pointer, fmt::format("the top-level version \"{}\"", models::to_string(*file_version)), v);
        } else if (!version_given) {
          out.yuma.version = *version;
          out.sources["version"] = Source::file;
        }
      } else if (key == "total_epoch_emission" || key == "total_subnet_stake") {
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0.0 ||
            (key == "total_subnet_stake" && v.get<double>() <= 0.0)) {
          expected(pointer, key == "total_subnet_stake" ? "a positive number" : "a non-negative number", v);
          continue;
        }
        (key == "total_epoch_emission" ? out.total_epoch_emission : out.total_subnet_stake) = v.get<double>();
        out.sources[key] = Source::file;
      } else if (key == "maxint_yuma2c") {
        if (v.is_null()) continue;  // versions other than yuma2c
        set_param("capacity_scale", v, pointer, out);
      } else if (key == "liquid_alpha") {
        if (!v.is_boolean()) expected(pointer, "true or false", v);
      } else if (key == "use_full_matrices") {
        if (v != json(false)) expected(pointer, "false (dais computes on the V x N matrices, SCHEMA.md §1)", v);
      } else if (key == "bond_reset") {
        if (v.is_null()) continue;
        if (!v.is_object() || !v.contains("epoch") || !v.contains("server_index") || v.size() != 2 ||
            !v["epoch"].is_number_integer() || !v["server_index"].is_number_integer() || v["epoch"].get<std::int64_t>() < 0 ||
            v["server_index"].get<std::int64_t>() < 0) {
          expected(pointer, "null or {\"epoch\": E, \"server_index\": J} with non-negative integers", v);
          continue;
        }
        out.bond_reset = std::pair{v["epoch"].get<std::int64_t>(), v["server_index"].get<std::int64_t>()};
      } else if (std::find(informational.begin(), informational.end(), key) != informational.end()) {
        continue;
      } else {
        set_param(key, v, pointer, out);
      }
    }
    // The package says liquid alpha with a flag; dais with the version. When the version is the file's, they
    // must agree.
    if (params.contains("liquid_alpha") && params["liquid_alpha"].is_boolean() && !version_given) {
      const bool liquid = out.yuma.version == YumaVersion::yuma3_liquid;
      if (params["liquid_alpha"].get<bool>() != liquid)
        expected("/params/liquid_alpha",
                 fmt::format("{} for version \"{}\" (liquid alpha is the version yuma3_liquid)", liquid ? "true" : "false",
                             models::to_string(out.yuma.version)),
                 params["liquid_alpha"]);
    }
  }

  // One declared Yuma parameter from the file; `name` is its declared name.
  void set_param(const std::string& name, const json& v, const std::string& pointer, ReplaySettings& out) {
    const scenario::ParamSpec& spec = spec_of(name);
    std::string problem;
    if (!apply_param(spec, v, out.yuma, problem)) {
      expected(pointer, problem, v);
      return;
    }
    out.sources[name] = Source::file;
  }

  static const scenario::ParamSpec& spec_of(const std::string& name) {
    for (const scenario::ParamSpec& spec : models::yuma_param_specs())
      if (spec.name == name) return spec;
    throw std::logic_error("no Yuma parameter " + name);
  }

  static std::string version_choices() {
    std::string out = "one of";
    for (YumaVersion v : models::all_yuma_versions) out += fmt::format(" \"{}\"", models::to_string(v));
    return out;
  }

  static std::string expectation(const scenario::ParamSpec& spec) {
    switch (spec.type) {
      case scenario::ParamType::boolean: return "true or false";
      case scenario::ParamType::text: {
        std::string out = "one of";
        for (const std::string& c : spec.choices) out += " \"" + c + "\"";
        return out;
      }
      case scenario::ParamType::integer: return "an integer in " + scenario::describe_range(spec);
      default: return "a number in " + scenario::describe_range(spec);
    }
  }

  // Sets one parameter from a JSON value; on failure says what was expected.
  static bool apply_param(const scenario::ParamSpec& spec, const json& v, YumaParams& p, std::string& expected_text) {
    expected_text = expectation(spec);
    const auto in_range = [&](double x) {
      return std::isfinite(x) && (!spec.min || x >= *spec.min) && (!spec.max || x <= *spec.max);
    };
    switch (spec.type) {
      case scenario::ParamType::boolean:
        if (!v.is_boolean()) return false;
        if (spec.name == "winner_takes_all") p.winner_takes_all = v.get<bool>();
        return true;
      case scenario::ParamType::text: {
        if (!v.is_string()) return false;
        const std::string text = v.get<std::string>();
        if (spec.name == "version") {
          const auto version = models::parse_yuma_version(text);
          if (!version) return false;
          p.version = *version;
        } else {
          const auto mode = models::parse_liquid_alpha_consensus(text);
          if (!mode) return false;
          p.liquid_alpha_consensus = *mode;
        }
        return true;
      }
      case scenario::ParamType::integer: {
        if (!v.is_number_integer() || !in_range(v.get<double>())) return false;
        p.consensus_quantization = v.get<std::int64_t>();
        return true;
      }
      default: {
        if (!v.is_number() || !in_range(v.get<double>())) return false;
        const double x = v.get<double>();
        static const std::map<std::string, double YumaParams::*> fields = {
            {"kappa", &YumaParams::kappa},
            {"bond_penalty", &YumaParams::bond_penalty},
            {"bond_moving_avg", &YumaParams::bond_moving_avg},
            {"alpha_low", &YumaParams::alpha_low},
            {"alpha_high", &YumaParams::alpha_high},
            {"alpha_sigmoid_steepness", &YumaParams::alpha_sigmoid_steepness},
            {"decay_rate", &YumaParams::decay_rate},
            {"capacity_alpha", &YumaParams::capacity_alpha},
            {"capacity_scale", &YumaParams::capacity_scale},
            {"validator_emission_ratio", &YumaParams::validator_emission_ratio}};
        p.*fields.at(spec.name) = x;
        return true;
      }
    }
  }

 private:
  std::string file_;
  std::vector<scenario::ScenarioError> errors_;
};

// The value of an option as JSON, so the command line goes through the same checks as the file.
json option_value(const scenario::ParamSpec& spec, const std::string& text) {
  if (spec.type == scenario::ParamType::text) return text;
  try {
    return json::parse(text);
  } catch (const json::exception&) {
    return text;
  }
}

json effective_params(const ReplaySettings& s) {
  const YumaParams& p = s.yuma;
  return {{"version", models::to_string(p.version)},
          {"kappa", p.kappa},
          {"bond_penalty", p.bond_penalty},
          {"bond_moving_avg", p.bond_moving_avg},
          {"alpha_low", p.alpha_low},
          {"alpha_high", p.alpha_high},
          {"alpha_sigmoid_steepness", p.alpha_sigmoid_steepness},
          {"decay_rate", p.decay_rate},
          {"capacity_alpha", p.capacity_alpha},
          {"capacity_scale", p.capacity_scale},
          {"validator_emission_ratio", p.validator_emission_ratio},
          {"winner_takes_all", p.winner_takes_all},
          {"liquid_alpha_consensus_mode", models::to_string(p.liquid_alpha_consensus)},
          {"consensus_quantization", p.consensus_quantization},
          {"total_epoch_emission", s.total_epoch_emission},
          {"total_subnet_stake", s.total_subnet_stake}};
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

}  // namespace

const char* replay_help_text() {
  static const std::string text = [] {
    std::string t = replay_help_template;
    const std::string marker = "{params}\n";
    t.replace(t.find(marker), marker.size(), params_help());
    return t;
  }();
  return text.c_str();
}

int replay_command(const std::vector<std::string>& args, const std::vector<std::string>& command_line) {
  po::options_description options("replay options");
  options.add_options()("version", po::value<std::string>())("out", po::value<std::string>())(
      "bonds", po::bool_switch())("total-epoch-emission", po::value<double>())("total-subnet-stake", po::value<double>())(
      "positional", po::value<std::vector<std::string>>());
  for (const scenario::ParamSpec& spec : models::yuma_param_specs())
    if (spec.name != "version") options.add_options()(option_name(spec.name).c_str(), po::value<std::string>());
  po::positional_options_description positional;
  positional.add("positional", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
  po::notify(vm);
  const auto words = vm.count("positional") ? vm["positional"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (words.empty()) throw UsageError("replay needs a model and an input file: dais replay yuma INPUT.json");
  if (words[0] != "yuma") throw UsageError(fmt::format("replay: expected the model \"yuma\", found \"{}\"", words[0]));
  if (words.size() != 2) throw UsageError("replay yuma takes exactly one input file");
  const fs::path input = words[1];

  // Defaults, then the file, then the command line.
  ReplaySettings settings;
  std::optional<YumaVersion> version_option;
  if (vm.count("version")) {
    version_option = models::parse_yuma_version(vm["version"].as<std::string>());
    if (!version_option)
      throw UsageError(fmt::format("--version: expected {}, found \"{}\"", InputReader::version_choices(),
                                  vm["version"].as<std::string>()));
  }

  const std::string bytes = io::read_file(input);
  InputReader reader(input.string());
  json doc;
  try {
    doc = json::parse(bytes);
  } catch (const json::parse_error& e) {
    reader.error("", fmt::format("expected JSON, found a syntax error at byte {}", e.byte));
    reader.raise();
  }
  if (!doc.is_object()) {
    reader.expected("", "a JSON object at the top level", doc);
    reader.raise();
  }
  const std::vector<std::string> validators = reader.names(doc, "validators");
  const std::vector<std::string> servers = reader.names(doc, "servers");
  if (!validators.empty() && !servers.empty()) reader.epochs(doc, validators.size(), servers.size());
  reader.settings(doc, settings, version_option.has_value());
  if (reader.failed()) reader.raise();

  if (version_option) {
    settings.yuma.version = *version_option;
    settings.sources["version"] = Source::command_line;
  }
  for (const scenario::ParamSpec& spec : models::yuma_param_specs()) {
    const std::string name = option_name(spec.name);
    if (spec.name == "version" || !vm.count(name)) continue;
    const std::string text = vm[name].as<std::string>();
    std::string expected_text;
    if (!InputReader::apply_param(spec, option_value(spec, text), settings.yuma, expected_text))
      throw UsageError(fmt::format("--{}: expected {}, found {}", name, expected_text, text));
    settings.sources[spec.name] = Source::command_line;
  }
  for (const char* name : {"total-epoch-emission", "total-subnet-stake"}) {
    if (!vm.count(name)) continue;
    const double x = vm[name].as<double>();
    const bool stake = std::string(name) == "total-subnet-stake";
    if (!std::isfinite(x) || x < 0.0 || (stake && x == 0.0))
      throw UsageError(fmt::format("--{}: expected a {} number, found {}", name, stake ? "positive" : "non-negative", x));
    (stake ? settings.total_subnet_stake : settings.total_epoch_emission) = x;
    settings.sources[stake ? "total_subnet_stake" : "total_epoch_emission"] = Source::command_line;
  }
  if (const std::string problem = models::check_yuma_params(settings.yuma); !problem.empty())
    throw UsageError(fmt::format("{}: the parameters from the file and the command line: {}", input.string(), problem));

  const YumaParams& params = settings.yuma;
  const auto nv = static_cast<Eigen::Index>(validators.size());
  const auto nm = static_cast<Eigen::Index>(servers.size());
  // The reference resets bonds only in the versions that buy them (SCHEMA.md §3).
  const bool resets = settings.bond_reset &&
                      (params.version == YumaVersion::yuma2c || params.version == YumaVersion::yuma3 ||
                       params.version == YumaVersion::yuma3_liquid);
  if (settings.bond_reset && settings.bond_reset->second >= nm)
    throw scenario::ScenarioErrors({{input.string(), "/params/bond_reset/server_index",
                                     fmt::format("expected a server index below {}, found {}", nm, settings.bond_reset->second)}});

  const fs::path out_dir =
      vm.count("out") ? fs::path(vm["out"].as<std::string>()) : fs::path("results") / ("replay_" + input.stem().string());
  io::create_folder(out_dir);

  io::CsvBuffer validators_csv;
  io::CsvBuffer miners_csv;
  io::CsvBuffer bonds_csv;
  const std::vector<std::string_view> validator_columns = {
      "epoch", "validator", "validator_name", "stake", "stake_share", "dividends", "relative_dividends",
      "dividends_per_1000_staked", "validator_emission", "validator_trust", "bonds_sum", "bonds_normalized_sum",
      "bonds_normalized_max"};
  const std::vector<std::string_view> miner_columns = {"epoch", "miner", "miner_name", "prerank", "consensus",
                                                       "consensus_u16", "rank", "incentive", "trust", "miner_emission"};
  const std::vector<std::string_view> bond_columns = {"epoch", "validator", "miner", "bond", "bond_normalized"};
  validators_csv.header(validator_columns);
  miners_csv.header(miner_columns);
  const bool write_bonds = vm["bonds"].as<bool>();
  if (write_bonds) bonds_csv.header(bond_columns);

  models::YumaState state;
  models::YumaEpoch out;
  Eigen::VectorXd stakes(nv);
  Eigen::MatrixXd weights(nv, nm);
  json degenerate = json::array();
  json rank_all_zero = json::array();
  const double emission = settings.total_epoch_emission;
  const double xi = params.validator_emission_ratio;
  const json& epochs = doc["epochs"];
  for (std::size_t e = 0; e < epochs.size(); ++e) {
    const auto epoch = static_cast<std::int64_t>(e);
    const json& record = epochs[e];
    for (Eigen::Index i = 0; i < nv; ++i) {
      stakes[i] = record["stakes"][static_cast<std::size_t>(i)].get<double>();
      for (Eigen::Index j = 0; j < nm; ++j)
        weights(i, j) = record["weights"][static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].get<double>();
    }
    if (resets && epoch == settings.bond_reset->first) models::reset_bonds(state, settings.bond_reset->second);
    models::yuma_epoch(params, stakes, weights, state, out);
    if (out.consensus_degenerate) degenerate.push_back(epoch);
    if (out.rank_all_zero) rank_all_zero.push_back(epoch);

    for (Eigen::Index i = 0; i < nv; ++i) {
      const double staked = out.stake[i] * settings.total_subnet_stake;
      const double paid = xi * out.dividends[i] * emission;
      const double per_1000 = staked / 1000.0 > 1e-6 ? paid / (staked / 1000.0) : 0.0;
      double normalized_sum = 0.0;
      double normalized_max = 0.0;
      for (Eigen::Index j = 0; j < nm; ++j) {
        normalized_sum += out.bonds_normalized(i, j);
        normalized_max = std::max(normalized_max, out.bonds_normalized(i, j));
      }
      validators_csv.field(epoch).field(i).field(validators[static_cast<std::size_t>(i)]).field(stakes[i]);
      validators_csv.field(out.stake[i]).field(out.dividends[i]).field(out.relative_dividends[i]).field(per_1000);
      validators_csv.field(paid).field(out.validator_trust[i]).field(state.bonds.row(i).sum());
      validators_csv.field(normalized_sum).field(normalized_max);
      validators_csv.end_row();
      if (write_bonds) {
        for (Eigen::Index j = 0; j < nm; ++j) {
          bonds_csv.field(epoch).field(i).field(j).field(state.bonds(i, j)).field(out.bonds_normalized(i, j));
          bonds_csv.end_row();
        }
      }
    }
    for (Eigen::Index j = 0; j < nm; ++j) {
      miners_csv.field(epoch).field(j).field(servers[static_cast<std::size_t>(j)]).field(out.prerank[j]);
      miners_csv.field(out.consensus[j]).field(out.consensus_u16[j]).field(out.rank[j]).field(out.incentives[j]);
      miners_csv.field(out.trust[j]).field((1.0 - xi) * out.incentives[j] * emission);
      miners_csv.end_row();
    }
  }

  io::write_file_atomically(out_dir / "validators.csv", validators_csv.text());
  io::write_file_atomically(out_dir / "miners.csv", miners_csv.text());
  json files = {{"validators.csv", validators_csv.rows()}, {"miners.csv", miners_csv.rows()}};
  if (write_bonds) {
    io::write_file_atomically(out_dir / "bonds.csv", bonds_csv.text());
    files["bonds.csv"] = bonds_csv.rows();
  }
  const json effective = effective_params(settings);
  json sources = json::object();
  for (auto it = effective.begin(); it != effective.end(); ++it)
    sources[it.key()] = to_string(settings.sources.count(it.key()) ? settings.sources.at(it.key()) : Source::preset);
  json reset = nullptr;
  if (settings.bond_reset) {
    reset = {{"epoch", settings.bond_reset->first},
             {"server_index", settings.bond_reset->second},
             {"applied", resets},
             {"note", resets ? "the server's bond column zeroed before the epoch"
                             : "not applied: only yuma2c, yuma3 and yuma3_liquid reset bonds, as the reference"}};
  }
  const io::BuildInfo build = io::build_info();
  const json manifest = {
      {"dais", {{"version", build.version}, {"git_revision", build.git_revision}, {"build_type", build.build_type},
                {"compiler", build.compiler}}},
      {"command", "replay yuma"},
      {"input", {{"file", input.string()}, {"bytes", bytes.size()}, {"hash_fnv1a64", io::content_hash(bytes)},
                 {"validators", validators.size()}, {"servers", servers.size()}, {"epochs", epochs.size()}}},
      {"params", effective},
      {"param_sources", sources},
      {"bond_reset", reset},
      {"degenerate_consensus_epochs", degenerate},
      {"rank_all_zero_epochs", rank_all_zero},
      {"files", files},
      {io::manifest_invocation_key, {{"command_line", joined(command_line)}, {"finished_at", io::iso8601_utc(io::unix_now())}}}};
  io::write_manifest(out_dir / "manifest.json", manifest);
  std::cerr << fmt::format("dais: replayed {} epochs of {} ({} validators x {} servers, {}) into {}\n", epochs.size(),
                           input.string(), nv, nm, models::to_string(params.version), out_dir.string());
  return exit_ok;
}

}  // namespace dais::app

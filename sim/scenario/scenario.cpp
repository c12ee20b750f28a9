#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>

#include "sim/ledger/token_amount.hpp"

namespace dais::scenario {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ScenarioError::to_string() const {
  std::string out = file + ": ";
  if (!variant.empty()) out += variant + ": ";
  if (!pointer.empty()) out += pointer + ": ";
  return out + message;
}

namespace {

std::string join_errors(const std::vector<ScenarioError>& errors) {
  std::string out;
  for (const ScenarioError& e : errors) {
    if (!out.empty()) out.push_back('\n');
    out.append(e.to_string());
  }
  return out;
}

}  // namespace

ScenarioErrors::ScenarioErrors(std::vector<ScenarioError> errors)
    : std::runtime_error(join_errors(errors)), errors_(std::move(errors)) {}

// ---- durations ----------------------------------------------------------------------------------------------

namespace {

struct DurationUnit {
  std::string_view suffix;
  core::SimTime::rep ticks;
};
// Largest first: format_duration picks the largest unit that divides exactly.
constexpr DurationUnit duration_units[] = {
    {"y", 365 * core::SimTime::ticks_per_day}, {"w", 7 * core::SimTime::ticks_per_day},
    {"d", core::SimTime::ticks_per_day},       {"h", 3600 * core::SimTime::ticks_per_second},
    {"min", 60 * core::SimTime::ticks_per_second}, {"s", core::SimTime::ticks_per_second},
    {"ms", 1000},                              {"us", 1},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<core::SimTime> parse_duration(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (is_digit(text[i]) || text[i] == '.')) ++i;
  std::string_view number = text.substr(0, i);
  const std::string_view suffix = text.substr(i);
  // Trailing zeros of a fraction change nothing ("1.50h" is "1.5h"); dropping them keeps long forms exact.
  if (number.find('.') != std::string_view::npos)
    while (number.size() > 2 && number.back() == '0' && number[number.size() - 2] != '.') number.remove_suffix(1);
  const auto unit = std::find_if(std::begin(duration_units), std::end(duration_units),
                                 [&](const DurationUnit& u) { return u.suffix == suffix; });
  if (unit == std::end(duration_units)) return std::nullopt;
  // The number exactly, as digits over a power of ten, then ticks = digits * unit / 10^places must be whole.
  std::string error;
  const std::size_t dot = number.find('.');
  const unsigned places = dot == std::string_view::npos ? 0 : static_cast<unsigned>(number.size() - dot - 1);
  if (places > 18) return std::nullopt;
  const auto scaled = ledger::TokenAmount::parse_decimal(number, places, &error);
  if (!scaled) return std::nullopt;
  u128 ticks = 0;
  if (__builtin_mul_overflow(scaled->base_units(), static_cast<u128>(unit->ticks), &ticks)) return std::nullopt;
  const u128 divisor = ledger::pow10_u128(places);
  if (ticks % divisor != 0) return std::nullopt;  // finer than a microsecond
  ticks /= divisor;
  if (ticks > static_cast<u128>(core::SimTime::max().ticks())) return std::nullopt;
  return core::SimTime::from_ticks(static_cast<core::SimTime::rep>(ticks));
}

std::string format_duration(core::SimTime duration) {
  const core::SimTime::rep t = duration.ticks();
  if (t == 0) return "0s";
  // The magnitude as unsigned, so the most negative time has one too.
  const std::uint64_t magnitude = t < 0 ? 0 - static_cast<std::uint64_t>(t) : static_cast<std::uint64_t>(t);
  const char* sign = t < 0 ? "-" : "";
  for (const DurationUnit& u : duration_units) {
    const auto unit = static_cast<std::uint64_t>(u.ticks);
    if (magnitude % unit == 0) return fmt::format("{}{}{}", sign, magnitude / unit, u.suffix);
  }
  return fmt::format("{}{}us", sign, magnitude);
}

// ---- the loader ---------------------------------------------------------------------------------------------

namespace {

constexpr std::int64_t max_replicates = 1'000'000;
constexpr std::int64_t max_epochs = 100'000'000;
constexpr std::int64_t max_population = 100'000'000;
constexpr unsigned max_decimals = 30;
constexpr unsigned share_places = 18;  // share_scale == 10^share_places

// Edit distance with transpositions (optimal string alignment), for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    const std::size_t dist = edit_distance(word, c);
    if (dist < best_distance) {
      best = c;
      best_distance = dist;
    }
  }
  return best;
}

namespace {

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += i + 1 == names.size() ? " or " : ", ";
    out += "\"" + names[i] + "\"";
  }
  return out;
}

// How a found value is shown: scalars as JSON, long strings shortened, containers by kind.
std::string describe_found(const json& v) {
  switch (v.type()) {
    case json::value_t::object: return v.empty() ? "an empty object" : "an object";
    case json::value_t::array: return v.empty() ? "an empty array" : "an array";
    case json::value_t::discarded: return "nothing";
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 60) s = s.substr(0, 57) + "...";
      return json(s).dump();
    }
    default: return v.dump();
  }
}

std::string escape_key(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string child(const std::string& pointer, std::string_view key) { return pointer + "/" + escape_key(key); }
std::string child(const std::string& pointer, std::size_t index) { return pointer + "/" + std::to_string(index); }

std::string interval(std::optional<double> min, std::optional<double> max) {
  if (min && max) return fmt::format(" in [{}, {}]", *min, *max);
  if (min) return fmt::format(" >= {}", *min);
  if (max) return fmt::format(" <= {}", *max);
  return "";
}

const std::string duration_expectation = "a duration with a unit (us ms s min h d w y) such as \"12s\" or \"1d\"";

// " of at least 1h", " between 1s and 1d", or "": bounds given in seconds, shown as durations.
std::string duration_bounds(std::optional<double> min_seconds, std::optional<double> max_seconds) {
  const auto shown = [](double seconds) {
    return format_duration(core::SimTime::from_ticks(static_cast<core::SimTime::rep>(std::ceil(seconds * 1e6))));
  };
  if (min_seconds && max_seconds) return " between " + shown(*min_seconds) + " and " + shown(*max_seconds);
  if (min_seconds) return " of at least " + shown(*min_seconds);
  if (max_seconds) return " of at most " + shown(*max_seconds);
  return "";
}

// What a parameter wants, for messages: "a real number in [0, 1]", "a token amount", ...
std::string expectation(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::integer: return "an integer" + interval(spec.min, spec.max);
    case ParamType::real: return "a number" + interval(spec.min, spec.max);
    case ParamType::boolean: return "true or false";
    case ParamType::text:
      return spec.choices.empty() ? std::string("a string") : "one of " + quoted_list(spec.choices);
    case ParamType::tokens:
      return "a token amount (a decimal string such as \"10.5\", or a whole number)" + interval(spec.min, spec.max);
    case ParamType::duration: return duration_expectation + duration_bounds(spec.min, spec.max);
  }
  return "a value";
}

// Reads a JSON document through nlohmann's SAX interface into a DOM, and notes what the DOM forgets: keys that
// appear twice in one object (the DOM keeps the last silently), the text of each floating-point number (so a
// share is read as the exact decimal that was written), and where each value starts (so errors are listed in
// the order of the file).
class SourceReader {
 public:
  explicit SourceReader(json& result) : dom_(result, true) {}

  std::vector<std::string> duplicates;
  std::map<std::string, std::string> float_text;  // JSON pointer -> the number as written
  std::map<std::string, std::size_t> order;       // JSON pointer -> position among the document's values
  std::map<std::string, std::size_t> end_order;   // object or array -> position of the last value inside

  bool null() { return value() && dom_.null(); }
  bool boolean(bool v) { return value() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return value() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const std::string& text) {
    float_text[pointer()] = text;
    return value() && dom_.number_float(v, text);
  }
  bool string(std::string& v) { return value() && dom_.string(v); }
  bool binary(json::binary_t& v) { return value() && dom_.binary(v); }
  bool start_object(std::size_t n) {
    order.emplace(pointer(), order.size());
    frames_.push_back({false, 0, {}, {}});
    return dom_.start_object(n);
  }
  bool key(std::string& k) {
    Frame& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(k).second) duplicates.push_back(pointer());
    return dom_.key(k);
  }
  bool end_object() { return end_container() && dom_.end_object(); }
  bool start_array(std::size_t n) {
    order.emplace(pointer(), order.size());
    frames_.push_back({true, 0, {}, {}});
    return dom_.start_array(n);
  }
  bool end_array() { return end_container() && dom_.end_array(); }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
    return dom_.parse_error(position, token, e);  // throws json::parse_error
  }

 private:
  struct Frame {
    bool array;
    std::size_t index;
    std::set<std::string> keys;
    std::string key;
  };
  bool value() {
    order.emplace(pointer(), order.size());
    element_done();
    return true;
  }
  bool end_container() {
    frames_.pop_back();
    end_order[pointer()] = order.size();
    element_done();
    return true;
  }
  void element_done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  std::string pointer() const {
    std::string p;
    for (const Frame& f : frames_) p += f.array ? child("", f.index) : child("", f.key);
    return p;
  }
  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<Frame> frames_;
};

// The exact value of a decimal number written as text ("0.25", "1e-3", "2.5E+2") in units of 10^-places,
// or nullopt if it is negative, not a whole number of such units, or does not fit 128 bits.
std::optional<u128> decimal_in_units(std::string_view text, unsigned places) {
  const std::size_t e = text.find_first_of("eE");
  std::string_view mantissa = text.substr(0, e);
  long exponent = 0;
  if (e != std::string_view::npos) {
    const std::string exponent_text(text.substr(e + 1));
    char* end = nullptr;
    exponent = std::strtol(exponent_text.c_str(), &end, 10);
    if (end == exponent_text.c_str() || *end != '\0' || exponent < -1000 || exponent > 1000) return std::nullopt;
  }
  if (!mantissa.empty() && (mantissa[0] == '-' || mantissa[0] == '+')) {
    if (mantissa[0] == '-') return std::nullopt;
    mantissa.remove_prefix(1);
  }
  const std::size_t dot = mantissa.find('.');
  std::string digits(mantissa.substr(0, dot));
  if (dot != std::string_view::npos) digits += mantissa.substr(dot + 1);
  // value = digits * 10^(exponent - fraction digits), so units = digits * 10^(places + exponent - fraction digits).
  long scale = static_cast<long>(places) + exponent -
               (dot == std::string_view::npos ? 0 : static_cast<long>(mantissa.size() - dot - 1));
  // Trailing zeros dropped from the digits move the scale up: 0.50 is 5 tenths.
  while (scale < 0 && digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++scale;
  }
  if (scale < 0 || digits.empty()) return std::nullopt;
  u128 units = 0;
  const auto times_ten_plus = [&](unsigned digit) {
    return !__builtin_mul_overflow(units, u128{10}, &units) && !__builtin_add_overflow(units, u128{digit}, &units);
  };
  for (char c : digits)
    if (c < '0' || c > '9' || !times_ten_plus(static_cast<unsigned>(c - '0'))) return std::nullopt;
  for (long i = 0; i < scale; ++i)
    if (!times_ten_plus(0)) return std::nullopt;
  return units;
}

// A bound declared as a double, in base units: the decimal it was written as (its shortest form).
std::optional<ledger::TokenAmount> bound_amount(std::optional<double> bound, unsigned decimals) {
  if (!bound) return std::nullopt;
  const auto units = decimal_in_units(fmt::format("{}", *bound), decimals);
  if (!units) return std::nullopt;
  return ledger::TokenAmount::from_base_units(*units);
}

class Loader {
 public:
  explicit Loader(const Catalog& catalog) : catalog_(catalog) {}

  Batch load(const fs::path& file) {
    root_file_ = file.string();
    std::vector<fs::path> visiting;
    const std::optional<json> doc = resolve(file, visiting);
    if (!doc) throw ScenarioErrors(std::move(errors_));
    Batch batch;
    if (doc->contains("sweep")) {
      const auto sweep = parse_sweep((*doc)["sweep"]);
      if (!sweep) {
        sort_errors();
        throw ScenarioErrors(std::move(errors_));
      }
      batch.sweep = *sweep;
      load_variants(*doc, batch);
    } else {
      Scenario s = validate(*doc);
      s.file = file;
      batch.variants.push_back({s.name, {}, std::move(s)});
    }
    sort_errors();
    if (!errors_.empty()) throw ScenarioErrors(std::move(errors_));
    return batch;
  }

 private:
  // One file of the extends chain, as read.
  struct Layer {
    std::string file;
    json doc;
    std::map<std::string, std::string> float_text;
    std::map<std::string, std::size_t> order;
    std::map<std::string, std::size_t> end_order;
  };

  // ---- reporting ----

  // The file that set the value at `pointer`: the first of the extends chain (the file loaded first) that
  // holds it; the loaded file itself for a value that is missing everywhere.
  // The layer that set the value at `pointer`; none for a value a sweep sets (it belongs to the loaded file).
  const Layer* layer_of(const std::string& pointer) const {
    for (const std::string& swept : swept_)
      if (pointer == swept || pointer.starts_with(swept + "/")) return nullptr;
    const json::json_pointer p(pointer);
    for (const Layer& layer : layers_)
      if (layer.doc.contains(p)) return &layer;
    return nullptr;
  }
  void error(const std::string& pointer, std::string message) {
    const Layer* layer = layer_of(pointer);
    errors_.push_back({layer != nullptr ? layer->file : root_file_, pointer, std::move(message)});
  }
  // Errors in the order of the files (the loaded one first) and of the values within each. An error about an
  // object or array as a whole (a missing key, shares that do not add up) comes after those inside it.
  void sort_errors() {
    const auto rank = [&](const ScenarioError& e) {
      for (std::size_t l = 0; l < layers_.size(); ++l) {
        if (layers_[l].file != e.file) continue;
        const Layer& layer = layers_[l];
        std::string p = e.pointer;
        for (;;) {
          if (const auto end = layer.end_order.find(p); end != layer.end_order.end()) return std::pair{l, end->second};
          if (const auto start = layer.order.find(p); start != layer.order.end()) return std::pair{l, start->second};
          if (p.empty()) break;
          p.erase(p.rfind('/'));
        }
        return std::pair{l, std::size_t{0}};
      }
      return std::pair{layers_.size(), std::size_t{0}};
    };
    std::stable_sort(errors_.begin(), errors_.end(),
                     [&](const ScenarioError& a, const ScenarioError& b) { return rank(a) < rank(b); });
  }
  void expected(const std::string& pointer, const std::string& what, const json& found) {
    error(pointer, "expected " + what + ", found " + describe_found(found));
  }

  // ---- reading and `extends` ----

  std::optional<json> read(const fs::path& file, const std::string& shown, const std::string& referrer,
                           const std::string& referrer_pointer) {
    const auto fail = [&](const std::string& message) -> std::optional<json> {
      if (referrer.empty())
        errors_.push_back({shown, "", message});
      else
        errors_.push_back({referrer, referrer_pointer, "cannot use " + json(shown).dump() + ": " + message});
      return std::nullopt;
    };
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return fail(fs::exists(file, ec) ? "not a regular file" : "no such file");
    std::string text;
    try {
      text = io_read(file);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
    json doc;
    SourceReader source(doc);
    try {
      json::sax_parse(text, &source);
    } catch (const json::exception& e) {  // the SAX DOM builder rethrows parse errors as their base class
      std::string what = e.what();
      const std::size_t bracket = what.find("] ");
      if (bracket != std::string::npos) what = what.substr(bracket + 2);
      return fail("invalid JSON: " + what);
    }
    for (const std::string& p : source.duplicates)
      errors_.push_back({shown, p, "duplicate key; a key may appear once in an object"});
    if (!doc.is_object()) {
      errors_.push_back({shown, "", "expected a JSON object at the top level, found " + describe_found(doc)});
      return std::nullopt;
    }
    if (!source.duplicates.empty()) return std::nullopt;
    layers_.push_back({shown, doc, std::move(source.float_text), std::move(source.order), std::move(source.end_order)});
    return doc;
  }

  static std::string io_read(const fs::path& file) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (f == nullptr) throw std::runtime_error(std::strerror(errno));
    std::string text;
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
    const bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) throw std::runtime_error("read error");
    return text;
  }

  std::optional<json> resolve(const fs::path& file, std::vector<fs::path>& visiting,
                              const std::string& referrer = "", const std::string& referrer_pointer = "") {
    const std::string shown = file.lexically_normal().string();
    std::optional<json> doc = read(file, shown, referrer, referrer_pointer);
    if (!doc) return std::nullopt;
    const auto extends = doc->find("extends");
    if (extends == doc->end()) return doc;
    if (!extends->is_string() || extends->get<std::string>().empty()) {
      errors_.push_back({shown, "/extends", "expected the path of a scenario file, found " + describe_found(*extends)});
      return std::nullopt;
    }
    const fs::path base = (file.parent_path() / extends->get<std::string>()).lexically_normal();
    std::error_code ec;
    const fs::path identity = fs::weakly_canonical(file, ec);
    visiting.push_back(identity);
    const fs::path base_identity = fs::weakly_canonical(base, ec);
    if (std::find(visiting.begin(), visiting.end(), base_identity) != visiting.end()) {
      errors_.push_back({shown, "/extends",
                         "expected a scenario that does not extend itself, found a cycle through " + base.string()});
      return std::nullopt;
    }
    std::optional<json> merged = resolve(base, visiting, shown, "/extends");
    if (!merged) return std::nullopt;
    doc->erase("extends");
    drop_params_of_replaced_components(*merged, *doc);
    merged->merge_patch(*doc);  // RFC 7386: objects merge key by key; arrays and scalars replace; null removes
    return merged;
  }

  // Parameters belong to the component they configure: where `child` names another schedule, rule or model
  // than `base` does, the base's parameters are not inherited (they would be unknown to the new component).
  static void drop_params_of_replaced_components(json& base, const json& child) {
    if (!base.is_object() || !child.is_object()) return;
    for (const char* key : {"schedule", "rule", "model"}) {
      if (child.contains(key) && base.contains(key) && child[key] != base[key]) base.erase("params");
    }
    for (const auto& [key, value] : child.items())
      if (base.contains(key)) drop_params_of_replaced_components(base[key], value);
  }

  // ---- typed getters ----

  // Reports keys of `object` that are not in `allowed`, with a suggestion. False if `value` is no object.
  bool check_object(const json& value, const std::string& pointer, const std::vector<std::string>& allowed) {
    if (!value.is_object()) {
      expected(pointer, "an object", value);
      return false;
    }
    for (const auto& [key, v] : value.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      const std::string hint = closest(key, allowed);
      error(child(pointer, key), hint.empty() ? "unknown key " + json(key).dump() + "; expected one of " + quoted_list(allowed)
                                              : "unknown key " + json(key).dump() + "; did you mean \"" + hint + "\"?");
    }
    return true;
  }

  std::optional<std::int64_t> integer(const json& v, const std::string& pointer, std::int64_t min, std::int64_t max) {
    if (v.is_number_unsigned()) {
      const std::uint64_t u = v.get<std::uint64_t>();
      if (max >= 0 && u <= static_cast<std::uint64_t>(max) && (min <= 0 || u >= static_cast<std::uint64_t>(min)))
        return static_cast<std::int64_t>(u);
    } else if (v.is_number_integer()) {
      const std::int64_t x = v.get<std::int64_t>();
      if (x >= min && x <= max) return x;
    }
    const auto bound = [](std::int64_t b, std::int64_t none) {
      return b == none ? std::optional<double>() : std::optional<double>(static_cast<double>(b));
    };
    expected(pointer, "an integer" + interval(bound(min, INT64_MIN), bound(max, INT64_MAX)), v);
    return std::nullopt;
  }

  std::optional<double> real(const json& v, const std::string& pointer, std::optional<double> min,
                             std::optional<double> max) {
    if (v.is_number()) {
      const double x = v.get<double>();
      if (std::isfinite(x) && (!min || x >= *min) && (!max || x <= *max)) return x;
    }
    expected(pointer, "a number" + interval(min, max), v);
    return std::nullopt;
  }

  // A number in [0, 1] read as the exact decimal it was written as, in parts of share_scale.
  std::optional<std::uint64_t> exact_share(const json& v, const std::string& pointer) {
    if (!real(v, pointer, 0.0, 1.0)) return std::nullopt;
    std::string text = v.dump();
    if (const Layer* layer = layer_of(pointer)) {
      const auto it = layer->float_text.find(pointer);
      if (it != layer->float_text.end()) text = it->second;
    }
    if (auto parts = decimal_in_units(text, share_places); parts && *parts <= share_scale)
      return static_cast<std::uint64_t>(*parts);
    expected(pointer, fmt::format("a share with at most {} decimal places", share_places), v);
    errors_.back().message = fmt::format("expected a share with at most {} decimal places, found {}", share_places, text);
    return std::nullopt;
  }

  std::optional<bool> boolean(const json& v, const std::string& pointer) {
    if (v.is_boolean()) return v.get<bool>();
    expected(pointer, "true or false", v);
    return std::nullopt;
  }

  std::optional<std::string> text(const json& v, const std::string& pointer, const std::string& what = "a string") {
    if (v.is_string()) return v.get<std::string>();
    expected(pointer, what, v);
    return std::nullopt;
  }

  std::optional<ledger::TokenAmount> tokens(const json& v, const std::string& pointer, unsigned decimals) {
    std::string problem;
    if (auto amount = read_token_amount(v, decimals, &problem)) return amount;
    error(pointer, std::move(problem));
    return std::nullopt;
  }

  std::optional<core::SimTime> duration(const json& v, const std::string& pointer, std::optional<double> min_seconds,
                                        std::optional<double> max_seconds = std::nullopt) {
    if (v.is_string()) {
      if (const auto d = parse_duration(v.get<std::string>())) {
        if ((!min_seconds || d->to_seconds() >= *min_seconds) && (!max_seconds || d->to_seconds() <= *max_seconds))
          return d;
        expected(pointer, "a duration" + duration_bounds(min_seconds, max_seconds), v);
        return std::nullopt;
      }
    }
    expected(pointer, duration_expectation, v);
    return std::nullopt;
  }

  // A string naming a registered component; an unknown name lists the valid ones.
  const ComponentInfo* component(const json& v, const std::string& pointer, const ComponentIndex& index) {
    const auto name = text(v, pointer, "a name");
    if (!name) return nullptr;
    if (const ComponentInfo* info = index.find(*name)) return info;
    std::vector<std::string> names;
    for (const ComponentInfo* c : index.all()) names.push_back(c->name);
    const std::string hint = closest(*name, names);
    expected(pointer, "one of " + quoted_list(names), v);
    if (!hint.empty()) errors_.back().message += "; did you mean \"" + hint + "\"?";
    return nullptr;
  }

  // Validates `params` (may be null: all defaults) against the component's declared parameters.
  std::optional<Params> params(const ComponentInfo& info, const json* params, const std::string& pointer,
                               const std::string& owner_pointer, unsigned decimals) {
    std::vector<std::string> names;
    for (const ParamSpec& p : info.params) names.push_back(p.name);
    const std::size_t errors_before = errors_.size();
    Params out;
    if (params != nullptr) {
      if (!params->is_object()) {
        expected(pointer, "an object of parameters", *params);
        return std::nullopt;
      }
      for (const auto& [key, v] : params->items()) {
        if (std::find(names.begin(), names.end(), key) != names.end()) continue;
        const std::string hint = closest(key, names);
        std::string message = "unknown parameter " + json(key).dump() + " of " + json(info.name).dump();
        message += hint.empty() ? (names.empty() ? " (it takes none)" : "; expected one of " + quoted_list(names))
                                : "; did you mean \"" + hint + "\"?";
        error(child(pointer, key), message);
      }
    }
    for (const ParamSpec& spec : info.params) {
      const json* given = nullptr;
      if (params != nullptr && params->contains(spec.name)) given = &(*params)[spec.name];
      if (given == nullptr) {
        if (!spec.default_value) {
          error(params != nullptr ? pointer : owner_pointer,
                fmt::format("expected a value for the required parameter \"{}\" of \"{}\" ({}{}), found none",
                            spec.name, info.name, expectation(spec), spec.unit.empty() ? "" : ", " + spec.unit));
          continue;
        }
        if (spec.type == ParamType::tokens) {
          const std::string& decimal = std::get<std::string>(*spec.default_value);
          const auto amount = ledger::TokenAmount::parse_decimal(decimal, decimals);
          if (!amount) {
            error(params != nullptr ? pointer : owner_pointer,
                  fmt::format("expected a value for \"{}\" of \"{}\": its default {} has more decimal places than "
                              "the token's {}, found none",
                              spec.name, info.name, decimal, decimals));
            continue;
          }
          out.set(spec.name, *amount);
        } else {
          out.set(spec.name, *spec.default_value);
        }
        continue;
      }
      const std::string p = child(pointer, spec.name);
      std::optional<ParamValue> value;
      switch (spec.type) {
        case ParamType::integer:
          if (auto x = integer(*given, p, spec.min ? static_cast<std::int64_t>(*spec.min) : INT64_MIN,
                               spec.max ? static_cast<std::int64_t>(*spec.max) : INT64_MAX))
            value = *x;
          break;
        case ParamType::real:
          if (auto x = real(*given, p, spec.min, spec.max)) value = *x;
          break;
        case ParamType::boolean:
          if (auto x = boolean(*given, p)) value = *x;
          break;
        case ParamType::text:
          if (auto x = text(*given, p, expectation(spec))) {
            if (spec.choices.empty() || std::find(spec.choices.begin(), spec.choices.end(), *x) != spec.choices.end())
              value = *x;
            else
              expected(p, expectation(spec), *given);
          }
          break;
        case ParamType::tokens:
          if (auto x = tokens(*given, p, decimals)) {
            const auto low = bound_amount(spec.min, decimals);
            const auto high = bound_amount(spec.max, decimals);
            if ((!low || *x >= *low) && (!high || *x <= *high))
              value = *x;
            else
              expected(p, "a token amount" + interval(spec.min, spec.max), *given);
          }
          break;
        case ParamType::duration:
          if (auto x = duration(*given, p, spec.min, spec.max)) value = *x;
          break;
      }
      if (value) out.set(spec.name, std::move(*value));
    }
    if (errors_.size() != errors_before) return std::nullopt;
    if (info.check) {
      const std::string problem = info.check(out);
      if (!problem.empty()) {
        error(params != nullptr ? pointer : owner_pointer, problem);
        return std::nullopt;
      }
    }
    return out;
  }

  // The component named by v[name_key], with v["params"] validated; the caller has checked v's keys.
  std::optional<ComponentChoice> choice(const json& v, const std::string& pointer, const std::string& name_key,
                                        const ComponentIndex& index, unsigned decimals) {
    if (!v.contains(name_key)) {
      error(pointer, fmt::format("expected a \"{}\" naming one of {}, found none", name_key, index.names_list()));
      return std::nullopt;
    }
    const ComponentInfo* info = component(v[name_key], child(pointer, name_key), index);
    if (info == nullptr) return std::nullopt;
    const json* p = v.contains("params") ? &v["params"] : nullptr;
    auto values = params(*info, p, child(pointer, "params"), pointer, decimals);
    if (!values) return std::nullopt;
    return ComponentChoice{info->name, std::move(*values)};
  }

  const json* required(const json& doc, const std::string& pointer, const std::string& key, const std::string& what) {
    if (doc.contains(key)) return &doc[key];
    error(pointer, fmt::format("expected the key \"{}\" ({}), found none", key, what));
    return nullptr;
  }

  // ---- the scenario ----

  Scenario validate(const json& doc) {
    // What one document's validation learns; each variant of a sweep starts afresh.
    played_roles_.clear();
    population_names_.clear();
    every_role_known_ = false;
    const std::size_t errors_before = errors_.size();
    Scenario s;
    std::vector<std::string> top_level_keys{"name", "description", "extends", "seed", "replicates", "epoch",
                                            "horizon", "token", "emission", "agents", "entry", "rewards",
                                            "outputs", "sweep", "chain", "market", "token_market"};
    for (const ScenarioSection& section : model_sections()) top_level_keys.push_back(section.name);
    check_object(doc, "", top_level_keys);

    if (const json* v = required(doc, "", "name", "the name of the output folder")) {
      if (auto name = text(*v, "/name", "a name of letters, digits, '_', '-' and '.'")) {
        const bool ok = !name->empty() && *name != "." && *name != ".." &&
                        std::all_of(name->begin(), name->end(), [](char c) {
                          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                        });
        if (ok) s.name = *name;
        else expected("/name", "a name of letters, digits, '_', '-' and '.'", *v);
      }
    }
    if (doc.contains("description"))
      if (auto d = text(doc["description"], "/description")) s.description = *d;
    if (doc.contains("seed")) {
      const json& v = doc["seed"];
      if (v.is_number_unsigned()) s.seed = v.get<std::uint64_t>();
      else expected("/seed", "an integer in [0, 18446744073709551615]", v);
    }
    if (doc.contains("replicates"))
      if (auto n = integer(doc["replicates"], "/replicates", 1, max_replicates)) s.replicates = *n;

    timing(doc, s);
    token(doc, s);
    const unsigned decimals = s.token.decimals;
    if (const json* v = required(doc, "", "emission", "the emission schedule")) {
      if (check_object(*v, "/emission", {"schedule", "params"}))
        if (auto c = choice(*v, "/emission", "schedule", *catalog_.schedules, decimals)) s.emission = std::move(*c);
    }
    populations(doc, s);
    entry(doc, s);
    rewards(doc, s);
    outputs(doc, s);
    chain(doc, s);
    s.market = optional_component(doc, "market", catalog_.markets, decimals);
    s.token_market = optional_component(doc, "token_market", catalog_.token_markets, decimals);
    read_model_sections(doc, s, errors_before);
    return s;
  }

  const std::vector<ScenarioSection>& model_sections() const {
    static const std::vector<ScenarioSection> none;
    return catalog_.sections != nullptr ? *catalog_.sections : none;
  }

  // Keeps each model-owned section and has its model check it against the scenario, once the rest of the
  // scenario is free of errors (a section that names parameters or populations would otherwise report
  // follow-on errors of theirs).
  void read_model_sections(const json& doc, Scenario& s, std::size_t errors_before) {
    for (const ScenarioSection& section : model_sections())
      if (const auto it = doc.find(section.name); it != doc.end()) s.sections[section.name] = *it;
    if (errors_.size() != errors_before) return;
    for (const ScenarioSection& section : model_sections()) {
      const auto it = s.sections.find(section.name);
      if (it == s.sections.end()) continue;
      try {
        section.validate(it->second, s, catalog_, root_file_);
      } catch (const ScenarioErrors& problems) {
        for (const ScenarioError& e : problems.errors()) error(e.pointer, e.message);  // the file that set the value
      }
    }
  }

  // An optional section {"model": NAME, "params": {...}} naming a model of `index`.
  std::optional<ComponentChoice> optional_component(const json& doc, const std::string& key, const ComponentIndex* index,
                                                    unsigned decimals) {
    if (!doc.contains(key)) return std::nullopt;
    const std::string pointer = "/" + key;
    if (index == nullptr) {
      error(pointer, fmt::format("expected no \"{}\": no model of it is registered", key));
      return std::nullopt;
    }
    if (!check_object(doc[key], pointer, {"model", "params"})) return std::nullopt;
    return choice(doc[key], pointer, "model", *index, decimals);
  }

  void timing(const json& doc, Scenario& s) {
    const json* epoch = required(doc, "", "epoch", "the length of an epoch, such as \"1d\"");
    const json* horizon = required(doc, "", "horizon", "how long the run lasts, such as \"365d\"");
    std::optional<core::SimTime> e;
    std::optional<core::SimTime> h;
    if (epoch != nullptr) e = duration(*epoch, "/epoch", 1e-6);
    if (horizon != nullptr) h = duration(*horizon, "/horizon", 1e-6);
    if (e) s.epoch_length = *e;
    if (!e || !h) return;
    if (h->ticks() % e->ticks() != 0) {
      expected("/horizon", "a whole number of epochs (" + format_duration(*e) + " each)", *horizon);
      return;
    }
    if (h->ticks() / e->ticks() > max_epochs) {
      expected("/horizon", fmt::format("at most {} epochs of {}", max_epochs, format_duration(*e)), *horizon);
      return;
    }
    s.horizon = *h;
  }

  void token(const json& doc, Scenario& s) {
    if (!doc.contains("token")) return;
    const json& t = doc["token"];
    if (!check_object(t, "/token", {"symbol", "decimals", "initial_supply"})) return;
    if (t.contains("symbol")) {
      const auto symbol = text(t["symbol"], "/token/symbol", "a symbol of 1 to 16 characters");
      if (symbol && !symbol->empty() && symbol->size() <= 16) s.token.symbol = *symbol;
      else if (symbol) expected("/token/symbol", "a symbol of 1 to 16 characters", t["symbol"]);
    }
    if (t.contains("decimals"))
      if (auto d = integer(t["decimals"], "/token/decimals", 0, max_decimals)) s.token.decimals = static_cast<unsigned>(*d);
    if (t.contains("initial_supply"))
      if (auto a = tokens(t["initial_supply"], "/token/initial_supply", s.token.decimals)) s.token.initial_supply = *a;
  }

  void populations(const json& doc, Scenario& s) {
    const json* agents = required(doc, "", "agents", "the populations of agents");
    if (agents == nullptr) return;
    if (!agents->is_array() || agents->empty()) {
      expected("/agents", "a non-empty array of populations", *agents);
      return;
    }
    every_role_known_ = true;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < agents->size(); ++i) {
      const json& a = (*agents)[i];
      const std::string p = child("/agents", i);
      Population pop;
      if (!check_object(a, p, {"name", "role", "model", "count", "params"})) {
        every_role_known_ = false;
        continue;
      }
      bool ok = true;
      if (const json* role = required(a, p, "role", "one of " + quoted_list(catalog_.roles))) {
        const auto r = text(*role, p + "/role", "one of " + quoted_list(catalog_.roles));
        if (r && std::find(catalog_.roles.begin(), catalog_.roles.end(), *r) != catalog_.roles.end()) {
          pop.role = *r;
          played_roles_.emplace(*r, i);  // even if the population has other problems: no follow-on errors
        } else {
          if (r) {
            expected(p + "/role", "one of " + quoted_list(catalog_.roles), *role);
            const std::string hint = closest(*r, catalog_.roles);
            if (!hint.empty()) errors_.back().message += "; did you mean \"" + hint + "\"?";
          }
          ok = false;
          every_role_known_ = false;
        }
      } else {
        ok = false;
        every_role_known_ = false;
      }
      if (const json* count = required(a, p, "count", "the number of agents at the start")) {
        if (auto n = integer(*count, p + "/count", 0, max_population)) pop.count = *n;
        else ok = false;
      } else {
        ok = false;
      }
      pop.name = pop.role;
      if (a.contains("name")) {
        const auto name = text(a["name"], p + "/name", "a non-empty name");
        if (name && !name->empty()) pop.name = *name;
        else if (name) expected(p + "/name", "a non-empty name", a["name"]);
      }
      if (!a.contains("model")) {
        error(p, fmt::format("expected a \"model\" naming one of {}, found none", catalog_.agents->names_list()));
        ok = false;
      } else if (auto c = choice(a, p, "model", *catalog_.agents, s.token.decimals)) {
        pop.model = std::move(*c);
        const ComponentInfo* info = catalog_.agents->find(pop.model.name);
        if (ok && !info->roles.empty() && std::find(info->roles.begin(), info->roles.end(), pop.role) == info->roles.end()) {
          expected(p + "/role", "a role the model \"" + pop.model.name + "\" can play (" + quoted_list(info->roles) + ")",
                   a["role"]);
          ok = false;
        }
      } else {
        ok = false;
      }
      if (!pop.name.empty()) {
        const auto [first, inserted] = population_names_.emplace(pop.name, i);
        if (!inserted) {
          error(a.contains("name") ? p + "/name" : p,
                fmt::format("expected a population name unique in the scenario, found \"{}\" again (as at "
                            "/agents/{}); give each population of a role its own \"name\"",
                            pop.name, first->second));
          ok = false;
        }
      }
      if (!ok) continue;
      total += pop.count;
      if (ok) s.populations.push_back(std::move(pop));
    }
    if (total > max_population)
      error("/agents", fmt::format("expected at most {} agents in all, found {}", max_population, total));
  }

  void entry(const json& doc, Scenario& s) {
    if (!doc.contains("entry")) return;
    const json& e = doc["entry"];
    if (!check_object(e, "/entry", {"rate", "condition"})) return;
    if (e.contains("rate"))
      if (auto r = real(e["rate"], "/entry/rate", 0.0, 1e6)) s.entry.rate = *r;
    if (e.contains("condition")) {
      const std::string what = "one of \"always\" or \"mean_profit_positive\"";
      if (auto c = text(e["condition"], "/entry/condition", what)) {
        if (*c == "always") s.entry.condition = EntryCondition::always;
        else if (*c == "mean_profit_positive") s.entry.condition = EntryCondition::mean_profit_positive;
        else expected("/entry/condition", what, e["condition"]);
      }
    }
  }

  void rewards(const json& doc, Scenario& s) {
    const json* rewards = required(doc, "", "rewards", "the share and rule of each role");
    if (rewards == nullptr) return;
    if (!check_object(*rewards, "/rewards", catalog_.roles)) return;
    u128 sum = 0;
    std::string terms;
    bool complete = true;
    for (const std::string& role : catalog_.roles) {
      if (!rewards->contains(role)) continue;
      const std::string p = child("/rewards", role);
      const json& r = (*rewards)[role];
      if (every_role_known_ && played_roles_.count(role) == 0) {
        error(p, fmt::format("expected a role some population plays, found \"{}\", which none of /agents does", role));
        complete = false;
        continue;
      }
      RoleRewards out;
      out.role = role;
      if (!check_object(r, p, {"share", "rule", "params"})) {
        complete = false;
        continue;
      }
      auto c = choice(r, p, "rule", *catalog_.rules, s.token.decimals);
      if (const json* given = required(r, p, "share", "the fraction of each epoch's emission paid to this role")) {
        if (auto parts = exact_share(*given, p + "/share")) {
          out.share_parts = *parts;
          out.share = given->get<double>();
          sum += *parts;
          terms += fmt::format("{}{} {}", terms.empty() ? "" : " + ", role, out.share);
        } else {
          complete = false;
        }
      } else {
        complete = false;
      }
      if (!c) {
        complete = false;
        continue;
      }
      const ComponentInfo* info = catalog_.rules->find(c->name);
      if (!info->roles.empty() && std::find(info->roles.begin(), info->roles.end(), role) == info->roles.end()) {
        expected(child(p, "rule"), "a rule that can pay the role \"" + role + "\" (\"" + c->name + "\" pays " +
                                       quoted_list(info->roles) + ")", r["rule"]);
        complete = false;
        continue;
      }
      out.rule = std::move(*c);
      s.rewards.push_back(std::move(out));
    }
    for (const RoleRewards& r : s.rewards) {
      const ComponentInfo* info = catalog_.rules->find(r.rule.name);
      if (!info->paired_with) continue;
      const auto& [role, rule] = *info->paired_with;
      const auto partner = std::find_if(s.rewards.begin(), s.rewards.end(), [&](const RoleRewards& x) { return x.role == role; });
      if (partner == s.rewards.end() && rewards->contains(role)) continue;  // its own error is reported
      if (partner == s.rewards.end())
        error("/rewards", fmt::format("expected the role \"{}\" paid by the rule \"{}\", which pays with \"{}\" (/rewards/{}/rule), found no \"{}\" entry",
                                      role, rule, r.rule.name, r.role, role));
      else if (partner->rule.name != rule)
        error(child(child("/rewards", role), "rule"),
              fmt::format("expected \"{}\", which pays with \"{}\" (/rewards/{}/rule), found \"{}\"", rule,
                          r.rule.name, r.role, partner->rule.name));
    }
    for (const std::string& role : catalog_.roles) {
      const auto played = played_roles_.find(role);
      if (!every_role_known_ || played == played_roles_.end() || rewards->contains(role)) continue;
      error("/rewards", fmt::format("expected an entry for the role \"{}\" (played by /agents/{}), found none", role,
                                    played->second));
      complete = false;
    }
    if (complete && sum != share_scale) {
      const ledger::TokenAmount total = ledger::TokenAmount::from_base_units(sum);
      error("/rewards", fmt::format("expected shares that sum to exactly 1, found {} = {}", terms,
                                    total.to_decimal(share_places)));
    }
  }

  void chain(const json& doc, Scenario& s) {
    if (doc.contains("chain")) {
      const json& c = doc["chain"];
      if (!check_object(c, "/chain", {"backend", "url", "block_time", "gas_price", "genesis_time"})) return;
      ChainSpec spec;
      if (c.contains("backend")) {
        const std::string what = "one of \"embedded\", \"anvil\" or \"rpc\"";
        if (auto b = text(c["backend"], "/chain/backend", what)) {
          if (*b == "embedded") spec.backend = ChainBackend::embedded;
          else if (*b == "anvil") spec.backend = ChainBackend::anvil;
          else if (*b == "rpc") spec.backend = ChainBackend::rpc;
          else expected("/chain/backend", what, c["backend"]);
        }
      }
      if (c.contains("url")) {
        const auto url = text(c["url"], "/chain/url", "an http:// URL");
        if (url && url->starts_with("http://")) spec.url = *url;
        else if (url) expected("/chain/url", "an http:// URL", c["url"]);
      }
      if (spec.backend == ChainBackend::rpc && spec.url.empty() && !c.contains("url"))
        error("/chain", "expected the key \"url\" (the JSON-RPC node of the rpc backend), found none");
      if (spec.backend != ChainBackend::rpc && c.contains("url"))
        error("/chain/url", "expected no url: only the rpc backend connects to a node (anvil starts its own)");
      if (c.contains("block_time"))
        if (auto d = duration(c["block_time"], "/chain/block_time", 1.0)) spec.block_time = *d;
      if (c.contains("gas_price"))
        if (auto a = tokens(c["gas_price"], "/chain/gas_price", s.token.decimals)) spec.gas_price = *a;
      if (c.contains("genesis_time"))
        if (auto t = integer(c["genesis_time"], "/chain/genesis_time", 0, 4'000'000'000)) spec.genesis_time = *t;
      s.chain = spec;
    }
    // A rule that runs a contract needs a chain to run it on.
    for (const RoleRewards& r : s.rewards) {
      const ComponentInfo* info = catalog_.rules->find(r.rule.name);
      if (info != nullptr && info->needs_chain && !s.chain)
        error(child(child("/rewards", r.role), "rule"),
              fmt::format("expected a scenario with a \"chain\" section for the rule \"{}\", found none", r.rule.name));
    }
  }

  void outputs(const json& doc, Scenario& s) {
    if (!doc.contains("outputs")) return;
    const json& o = doc["outputs"];
    if (!check_object(o, "/outputs", {"epochs", "agents", "transfers"})) return;
    if (o.contains("epochs"))
      if (auto b = boolean(o["epochs"], "/outputs/epochs")) s.outputs.epochs = *b;
    if (o.contains("agents"))
      if (auto b = boolean(o["agents"], "/outputs/agents")) s.outputs.agents = *b;
    if (o.contains("transfers"))
      if (auto b = boolean(o["transfers"], "/outputs/transfers")) s.outputs.transfers = *b;
  }

  // ---- sweeps ----

  static constexpr std::size_t max_variants = 1'000'000;

  // The pointers a sweep may not vary: the batch's identity, and what pairs its designs.
  static bool sweepable(const std::string& pointer, std::string& why) {
    for (const char* fixed : {"/name", "/seed", "/replicates", "/sweep", "/extends"}) {
      if (pointer == fixed || pointer.starts_with(std::string(fixed) + "/")) {
        why = std::string(fixed) == "/seed" || std::string(fixed) == "/replicates"
                  ? "every variant runs the same seed and replicates, so that designs compare paired"
                  : "it names the batch itself";
        return false;
      }
    }
    return true;
  }

  // The values of one sweep parameter: [v, ...], {"values": [v, ...]} or {"from", "to", "steps"}.
  std::optional<std::vector<json>> sweep_values(const json& v, const std::string& pointer) {
    if (v.is_array()) {
      if (v.empty()) {
        expected(pointer, "a non-empty list of values", v);
        return std::nullopt;
      }
      return std::vector<json>(v.begin(), v.end());
    }
    if (!v.is_object()) {
      expected(pointer, "a list of values, {\"values\": [...]} or {\"from\", \"to\", \"steps\"}", v);
      return std::nullopt;
    }
    if (v.contains("values")) {
      if (!check_object(v, pointer, {"values"})) return std::nullopt;
      return sweep_values(v["values"], child(pointer, "values"));
    }
    if (!check_object(v, pointer, {"from", "to", "steps"})) return std::nullopt;
    const json* from = required(v, pointer, "from", "the first value of the range");
    const json* to = required(v, pointer, "to", "the last value of the range");
    const json* steps = required(v, pointer, "steps", "how many values, ends included");
    if (from == nullptr || to == nullptr || steps == nullptr) return std::nullopt;
    const auto a = real(*from, child(pointer, "from"), std::nullopt, std::nullopt);
    const auto b = real(*to, child(pointer, "to"), std::nullopt, std::nullopt);
    const auto n = integer(*steps, child(pointer, "steps"), 2, static_cast<std::int64_t>(max_variants));
    if (!a || !b || !n) return std::nullopt;
    return range_values(*from, *to, *a, *b, *n);
  }

  // n evenly spaced values from a to b, ends included: integers when both ends are and the steps land on
  // integers; otherwise the exact decimals when the ends' decimals allow it (0.1 to 0.5 in 5 steps gives
  // 0.1, 0.2, 0.3, 0.4, 0.5, not 0.30000000000000004), else doubles.
  static std::vector<json> range_values(const json& from, const json& to, double a, double b, std::int64_t n) {
    std::vector<json> out;
    const auto intervals = n - 1;
    if (from.is_number_integer() && to.is_number_integer()) {
      const std::int64_t x = from.get<std::int64_t>();
      const std::int64_t y = to.get<std::int64_t>();
      if ((y - x) % intervals == 0) {
        for (std::int64_t i = 0; i < n; ++i) out.push_back(x + (y - x) / intervals * i);
        return out;
      }
    }
    // Decimals: a and b as integers in units of 10^-places, for the fewest places that hold both.
    for (int places = 0; places <= 15; ++places) {
      const double scale = std::pow(10.0, places);
      const double ua = std::nearbyint(a * scale);
      const double ub = std::nearbyint(b * scale);
      if (ua / scale != a || ub / scale != b || std::fabs(ua) > 0x1p52 || std::fabs(ub) > 0x1p52) continue;
      const auto ia = static_cast<std::int64_t>(ua);
      const auto ib = static_cast<std::int64_t>(ub);
      if ((ib - ia) % intervals != 0) continue;
      for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t units = ia + (ib - ia) / intervals * i;
        out.push_back(json::parse(fmt::format("{}", static_cast<double>(units) / scale)));
      }
      return out;
    }
    for (std::int64_t i = 0; i < n; ++i) out.push_back(i == intervals ? b : a + (b - a) * static_cast<double>(i) / static_cast<double>(intervals));
    return out;
  }

  std::optional<Sweep> parse_sweep(const json& v) {
    if (!check_object(v, "/sweep", {"mode", "parameters"})) return std::nullopt;
    Sweep sweep;
    const std::size_t errors_before = errors_.size();
    if (v.contains("mode")) {
      const auto mode = text(v["mode"], "/sweep/mode", "one of \"grid\" or \"zip\"");
      if (mode == "zip") sweep.mode = SweepMode::zip;
      else if (mode && *mode != "grid") expected("/sweep/mode", "one of \"grid\" or \"zip\"", v["mode"]);
    }
    const json* parameters = required(v, "/sweep", "parameters", "the JSON pointers to vary and their values");
    if (parameters == nullptr) return std::nullopt;
    if (!parameters->is_object() || parameters->empty()) {
      expected("/sweep/parameters", "an object of JSON pointers and their values", *parameters);
      return std::nullopt;
    }
    // In the order of the file: grid variants vary the first parameter slowest.
    std::vector<std::string> pointers;
    for (const auto& [key, value] : parameters->items()) pointers.push_back(key);
    const Layer* layer = layer_of("/sweep/parameters");
    const auto position = [&](const std::string& key) {
      if (layer == nullptr) return std::size_t{0};
      const auto it = layer->order.find(child("/sweep/parameters", key));
      return it == layer->order.end() ? std::size_t{0} : it->second;
    };
    std::stable_sort(pointers.begin(), pointers.end(),
                     [&](const std::string& x, const std::string& y) { return position(x) < position(y); });
    for (const std::string& key : pointers) {
      const std::string p = child("/sweep/parameters", key);
      std::string why;
      if (key.empty() || key[0] != '/') {
        error(p, "expected a JSON pointer to a scenario value such as \"/rewards/developer/rule\", found " + json(key).dump());
        continue;
      }
      if (!sweepable(key, why)) {
        error(p, "expected a value a sweep may vary, found " + json(key).dump() + ": " + why);
        continue;
      }
      if (auto values = sweep_values((*parameters)[key], p))
        sweep.parameters.push_back({key, column_name(key), std::move(*values)});
    }
    if (errors_.size() != errors_before) return std::nullopt;
    if (sweep.mode == SweepMode::zip) {
      for (const SweepParameter& param : sweep.parameters) {
        if (param.values.size() == sweep.parameters.front().values.size()) continue;
        error(child("/sweep/parameters", param.pointer),
              fmt::format("expected {} values, as many as {} has (zip pairs them one to one), found {}",
                          sweep.parameters.front().values.size(), json(sweep.parameters.front().pointer).dump(),
                          param.values.size()));
        return std::nullopt;
      }
    }
    if (variant_count(sweep) > max_variants) {
      error("/sweep", fmt::format("expected at most {} variants, found {}", max_variants, variant_count(sweep)));
      return std::nullopt;
    }
    return sweep;
  }

  // Sets a sweep's values in a copy of the document. Naming another schedule, rule or model drops the
  // params of the one replaced, as extends does.
  bool apply(json& doc, const Sweep& sweep, const std::vector<json>& values) {
    for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
      const std::string& pointer = sweep.parameters[i].pointer;
      try {
        const json::json_pointer p(pointer);
        // New keys may be made (a parameter left at its default has none yet), but only inside objects:
        // the deepest part of the pointer that exists must be an object, or the whole pointer must exist.
        json::json_pointer existing = p;
        while (!existing.empty() && !doc.contains(existing)) existing = existing.parent_pointer();
        if (existing != p && !doc[existing].is_object()) throw json::out_of_range::create(404, "no such place", nullptr);
        const std::string last = p.back();
        if ((last == "schedule" || last == "rule" || last == "model") && doc.contains(p) && doc[p] != values[i]) {
          json& owner = doc[p.parent_pointer()];
          const bool params_swept = std::any_of(sweep.parameters.begin(), sweep.parameters.end(), [&](const SweepParameter& q) {
            return q.pointer.starts_with(p.parent_pointer().to_string() + "/params");
          });
          if (owner.is_object() && !params_swept) owner.erase("params");
        }
        doc[p] = values[i];
      } catch (const json::exception&) {
        error(child("/sweep/parameters", pointer),
              "expected a pointer to a place in the scenario, found " + json(pointer).dump() +
                  ", which goes through a missing array element or a value that is not an object");
        return false;
      }
    }
    return true;
  }

  void load_variants(const json& doc, Batch& batch) {
    const Sweep& sweep = batch.sweep;
    for (const SweepParameter& p : sweep.parameters) swept_.push_back(p.pointer);
    const auto all_values = expand(sweep);
    // Errors are gathered per variant, then reported once each with the variants that have them.
    std::vector<std::pair<ScenarioError, std::vector<std::size_t>>> found;
    for (std::size_t v = 0; v < all_values.size(); ++v) {
      json variant_doc = doc;
      const std::size_t before = errors_.size();
      if (!apply(variant_doc, sweep, all_values[v])) return;
      Scenario s = validate(variant_doc);
      s.file = root_file_;
      for (std::size_t e = before; e < errors_.size(); ++e) {
        const ScenarioError& err = errors_[e];
        const auto same = std::find_if(found.begin(), found.end(), [&](const auto& f) {
          return f.first.file == err.file && f.first.pointer == err.pointer && f.first.message == err.message;
        });
        if (same != found.end()) same->second.push_back(v);
        else found.push_back({err, {v}});
      }
      errors_.resize(before);
      Variant variant{variant_label(sweep, all_values[v]), {}, std::move(s)};
      for (const json& value : all_values[v]) variant.values.push_back(value.is_string() ? value.get<std::string>() : value.dump());
      batch.variants.push_back(std::move(variant));
    }
    for (auto& [err, variants] : found) {
      if (variants.size() != all_values.size()) {
        err.variant = fmt::format("variant {} ({})", variants.front(), batch.variants[variants.front()].label);
        if (variants.size() > 1) err.variant += fmt::format(" and {} more", variants.size() - 1);
      }
      errors_.push_back(std::move(err));
    }
    if (!errors_.empty()) return;
    // Every variant must write the same columns, or their rows could not share one table.
    for (std::size_t v = 1; v < batch.variants.size(); ++v) {
      const auto roles_of = [](const Scenario& s) {
        std::vector<std::string> roles;
        for (const RoleRewards& r : s.rewards) roles.push_back(r.role);
        return roles;
      };
      if (roles_of(batch.variants[v].scenario) != roles_of(batch.base())) {
        errors_.push_back({root_file_, "/sweep",
                           fmt::format("expected every variant to pay the same roles, found variant {} ({}) differs from variant 0",
                                       v, batch.variants[v].label), ""});
        return;
      }
    }
  }

  const Catalog& catalog_;
  std::vector<std::string> swept_;  // pointers a sweep sets
  // Roles named by some population, whatever else is wrong with it; the rewards are checked against them
  // only when every population named a valid role, so one bad population causes no follow-on errors.
  std::map<std::string, std::size_t> played_roles_;     // role -> index of the first population playing it
  std::map<std::string, std::size_t> population_names_; // name -> index of the population that has it
  bool every_role_known_ = false;
  std::string root_file_;
  std::vector<Layer> layers_;
  std::vector<ScenarioError> errors_;
};

json param_json(const ParamValue& value, unsigned decimals) {
  struct Visitor {
    unsigned decimals;
    json operator()(std::int64_t v) const { return v; }
    json operator()(double v) const { return v; }
    json operator()(bool v) const { return v; }
    json operator()(const std::string& v) const { return v; }
    json operator()(ledger::TokenAmount v) const { return v.to_decimal(decimals); }
    json operator()(core::SimTime v) const { return format_duration(v); }
  };
  return std::visit(Visitor{decimals}, value);
}

json params_json(const Params& params, unsigned decimals) {
  json out = json::object();
  for (const auto& [name, value] : params.values()) out[name] = param_json(value, decimals);
  return out;
}

}  // namespace

std::optional<ledger::TokenAmount> read_token_amount(const json& v, unsigned decimals, std::string* problem) {
  const std::string what = "a token amount (a decimal string such as \"10.5\", or a whole number)";
  const auto fail = [&](const std::string& expectation, const std::string& reason) -> std::optional<ledger::TokenAmount> {
    if (problem != nullptr) *problem = "expected " + expectation + ", found " + describe_found(v) + reason;
    return std::nullopt;
  };
  if (v.is_string()) {
    std::string reason;
    if (auto amount = ledger::TokenAmount::parse_decimal(v.get<std::string>(), decimals, &reason)) return amount;
    if (reason == "more decimal places than the token has") reason = fmt::format("the token has {} decimals", decimals);
    return fail(what, " (" + reason + ")");
  }
  if (v.is_number_unsigned()) {
    try {
      return ledger::TokenAmount::whole_tokens(v.get<std::uint64_t>(), decimals);
    } catch (const ledger::AmountError&) {
      return fail(what + " that fits 128 bits", "");
    }
  }
  return fail(what, v.is_number_float() ? " (write it as a string: a binary float cannot hold most decimals exactly)" : "");
}

Batch load_batch(const fs::path& file, const Catalog& catalog) { return Loader(catalog).load(file); }

Scenario load_scenario(const fs::path& file, const Catalog& catalog) {
  Batch batch = load_batch(file, catalog);
  if (!batch.sweep.parameters.empty())
    throw ScenarioErrors({{file.string(), "/sweep", "expected a single scenario here, found a sweep of " +
                                                        std::to_string(batch.variants.size()) + " variants", ""}});
  return std::move(batch.variants.front().scenario);
}

nlohmann::json to_json(const Scenario& s) {
  const unsigned d = s.token.decimals;
  json agents = json::array();
  for (const Population& p : s.populations)
    agents.push_back({{"name", p.name}, {"role", p.role}, {"model", p.model.name}, {"count", p.count},
                      {"params", params_json(p.model.params, d)}});
  json rewards = json::object();
  for (const RoleRewards& r : s.rewards)
    rewards[r.role] = {{"share", r.share}, {"rule", r.rule.name}, {"params", params_json(r.rule.params, d)}};
  json out = {{"name", s.name},
          {"description", s.description},
          {"seed", s.seed},
          {"replicates", s.replicates},
          {"epoch", format_duration(s.epoch_length)},
          {"horizon", format_duration(s.horizon)},
          {"token", {{"symbol", s.token.symbol}, {"decimals", d}, {"initial_supply", s.token.initial_supply.to_decimal(d)}}},
          {"emission", {{"schedule", s.emission.name}, {"params", params_json(s.emission.params, d)}}},
          {"agents", agents},
          {"entry",
           {{"rate", s.entry.rate},
            {"condition", s.entry.condition == EntryCondition::always ? "always" : "mean_profit_positive"}}},
          {"rewards", rewards},
          {"outputs", {{"epochs", s.outputs.epochs}, {"agents", s.outputs.agents}, {"transfers", s.outputs.transfers}}}};
  if (s.chain) {
    const char* backends[] = {"embedded", "anvil", "rpc"};
    out["chain"] = {{"backend", backends[static_cast<int>(s.chain->backend)]},
                    {"block_time", format_duration(s.chain->block_time)},
                    {"gas_price", s.chain->gas_price.to_decimal(d)},
                    {"genesis_time", s.chain->genesis_time}};
    if (!s.chain->url.empty()) out["chain"]["url"] = s.chain->url;
  }
  if (s.market) out["market"] = {{"model", s.market->name}, {"params", params_json(s.market->params, d)}};
  if (s.token_market)
    out["token_market"] = {{"model", s.token_market->name}, {"params", params_json(s.token_market->params, d)}};
  for (const auto& [name, section] : s.sections) out[name] = section;
  return out;
}

}  // namespace dais::scenario

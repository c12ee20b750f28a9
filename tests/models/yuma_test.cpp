// Yuma consensus: conformance with every reference file of ../shared/yuma-cases (SCHEMA.md), and small cases
// computed by hand for each rule.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "models/rewards/yuma/yuma.hpp"

using namespace dais;
using models::YumaEpoch;
using models::YumaParams;
using models::YumaState;
using models::YumaVersion;
using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Reference files

// The worst deviation seen in one field, and where.
struct Worst {
  double deviation = 0.0;
  std::string where;
  std::int64_t compared = 0;
  void see(double d, const std::string& place) {
    ++compared;
    if (d > deviation) {
      deviation = d;
      where = place;
    }
  }
};

struct Tally {
  std::map<std::string, Worst> fields;  // by field name
  std::int64_t files = 0;
  std::int64_t epochs = 0;
  std::vector<std::string> skipped;  // what was not compared, and why
  // Ill-conditioned bond columns (SCHEMA.md §5): file and column -> epochs, listed as ranges.
  std::map<std::pair<std::string, Index>, std::vector<std::int64_t>> ill_conditioned;
  std::int64_t zero_columns = 0;
};

std::string ranges(const std::vector<std::int64_t>& epochs) {
  std::string out;
  for (std::size_t k = 0; k < epochs.size();) {
    std::size_t end = k;
    while (end + 1 < epochs.size() && epochs[end + 1] == epochs[end] + 1) ++end;
    out += (out.empty() ? "" : ", ") + std::to_string(epochs[k]) + (end > k ? "-" + std::to_string(epochs[end]) : "");
    k = end + 1;
  }
  return out;
}

VectorXd vector_of(const json& a) {
  VectorXd v(static_cast<Index>(a.size()));
  for (std::size_t i = 0; i < a.size(); ++i) v[static_cast<Index>(i)] = a[i].get<double>();
  return v;
}

MatrixXd matrix_of(const json& a, Index rows, Index cols) {
  MatrixXd m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = a.at(static_cast<std::size_t>(i)).at(static_cast<std::size_t>(j)).get<double>();
  return m;
}

YumaParams params_of(const json& doc) {
  const json& p = doc.at("params");
  YumaParams y;
  y.version = models::parse_yuma_version(doc.at("version").get<std::string>()).value();
  y.kappa = p.at("kappa").get<double>();
  y.bond_penalty = p.at("bond_penalty").get<double>();
  y.bond_moving_avg = p.at("bond_moving_avg").get<double>();
  y.alpha_low = p.at("alpha_low").get<double>();
  y.alpha_high = p.at("alpha_high").get<double>();
  y.alpha_sigmoid_steepness = p.at("alpha_sigmoid_steepness").get<double>();
  y.decay_rate = p.at("decay_rate").get<double>();
  y.capacity_alpha = p.at("capacity_alpha").get<double>();
  if (!p.at("maxint_yuma2c").is_null()) y.capacity_scale = p.at("maxint_yuma2c").get<double>();
  y.validator_emission_ratio = p.at("validator_emission_ratio").get<double>();
  y.winner_takes_all = p.at("winner_takes_all").get<bool>();
  y.liquid_alpha_consensus = models::parse_liquid_alpha_consensus(p.at("liquid_alpha_consensus_mode").get<std::string>()).value();
  y.consensus_quantization = p.at("consensus_quantization").get<std::int64_t>();
  // The file's version and its liquid_alpha flag must say the same thing.
  REQUIRE(p.at("liquid_alpha").get<bool>() == (y.version == YumaVersion::yuma3_liquid));
  return y;
}

std::vector<fs::path> reference_files() {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(DAIS_SHARED_DIR) / "yuma-cases";
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string place(const fs::path& file, std::int64_t epoch, const std::string& index) {
  return file.filename().string() + " epoch " + std::to_string(epoch) + " " + index;
}

// Runs one reference file through yuma_epoch and compares every epoch (SCHEMA.md §5 says what a double port
// meets). Returns the number of epochs compared.
void check_file(const fs::path& file, Tally& tally) {
  std::ifstream in(file);
  const json doc = json::parse(in);
  if (doc.value("schema", "") != "yuma-anchor/1") {
    tally.skipped.push_back(file.filename().string() + ": not a case file (schema \"" + doc.value("schema", "") + "\")");
    return;
  }
  ++tally.files;
  const YumaParams params = params_of(doc);
  const YumaVersion version = params.version;
  const auto nv = static_cast<Index>(doc.at("validators").size());
  const auto nm = static_cast<Index>(doc.at("servers").size());
  const json& reset = doc.at("params").at("bond_reset");
  const bool bonds_reset_apply = version == YumaVersion::yuma2c || version == YumaVersion::yuma3 ||
                                 version == YumaVersion::yuma3_liquid;
  // State that a degenerate epoch (SCHEMA.md §4.9) feeds forward: the clipped weights of yuma1, 2 and 2b enter
  // their bonds when the penalty is non-zero; liquid alpha's rates read the consensus.
  const bool degenerate_carries = ((version == YumaVersion::yuma1 || version == YumaVersion::yuma2 ||
                                    version == YumaVersion::yuma2b) && params.bond_penalty > 0.0) ||
                                  version == YumaVersion::yuma3_liquid;
  bool after_degenerate = false;

  YumaState state;
  YumaEpoch out;
  for (const json& e : doc.at("epochs")) {
    const std::int64_t epoch = e.at("epoch").get<std::int64_t>();
    if (!reset.is_null() && bonds_reset_apply && epoch == reset.at("epoch").get<std::int64_t>())
      models::reset_bonds(state, reset.at("server_index").get<Index>());
    const VectorXd stakes = vector_of(e.at("stakes"));
    const MatrixXd weights = matrix_of(e.at("weights"), nv, nm);
    models::yuma_epoch(params, stakes, weights, state, out);

    const bool degenerate = e.at("consensus_degenerate").get<bool>();
    if (degenerate || after_degenerate) {
      tally.skipped.push_back(place(file, epoch, "") + (degenerate ? ": degenerate consensus (SCHEMA.md §4.9)"
                                                                   : ": state carried from a degenerate epoch"));
      if (degenerate && degenerate_carries) after_degenerate = true;
      CHECK(out.consensus_degenerate == degenerate);
      continue;
    }
    ++tally.epochs;
    CHECK(out.consensus_degenerate == false);
    CHECK(out.rank_all_zero == e.at("rank_all_zero").get<bool>());

    const auto vector_field = [&](const char* name, const VectorXd& mine, double tolerance) {
      const json& ref = e.at(name);
      if (ref.is_null()) return;
      REQUIRE(static_cast<Index>(ref.size()) == mine.size());
      for (Index k = 0; k < mine.size(); ++k) {
        const double d = std::abs(mine[k] - ref[static_cast<std::size_t>(k)].get<double>());
        tally.fields[name].see(d, place(file, epoch, "[" + std::to_string(k) + "]"));
        if (tolerance > 0.0 && !(d <= tolerance)) {
          FAIL_CHECK(place(file, epoch, name) << "[" << k << "]: " << mine[k] << " vs reference "
                                              << ref[static_cast<std::size_t>(k)].get<double>());
        }
      }
    };
    // Required: SCHEMA.md §5's tolerances for a double port.
    vector_field("dividends", out.dividends, 1e-5);
    vector_field("incentives", out.incentives, 1e-5);
    // Reported, with tolerances derived from the same section.
    vector_field("relative_dividends", out.relative_dividends, 1e-5);
    vector_field("prerank", out.prerank, 1e-5);
    vector_field("rank", out.rank, 2e-5);
    vector_field("consensus", out.consensus, 2e-5);
    vector_field("trust", out.trust, 1e-4);
    vector_field("validator_trust", out.validator_trust, 1e-4);
    vector_field("stakes_normalized", out.stake, 1e-6);

    const json& u16 = e.at("consensus_u16");
    for (Index j = 0; j < nm; ++j) {
      const auto ref = u16[static_cast<std::size_t>(j)].get<std::int64_t>();
      const double d = std::abs(static_cast<double>(out.consensus_u16[j] - ref));
      tally.fields["consensus_u16"].see(d, place(file, epoch, "[" + std::to_string(j) + "]"));
      if (d > 1.0) FAIL_CHECK(place(file, epoch, "consensus_u16") << "[" << j << "]: " << out.consensus_u16[j] << " vs " << ref);
    }

    const MatrixXd ref_weights = matrix_of(e.at("weights_normalized"), nv, nm);
    const MatrixXd ref_clipped = matrix_of(e.at("clipped_weights"), nv, nm);
    const MatrixXd ref_bonds = matrix_of(e.at("bonds"), nv, nm);
    const MatrixXd ref_normalized = matrix_of(e.at("bonds_normalized"), nv, nm);
    const VectorXd ref_colsum = vector_of(e.at("bonds_colsum"));
    const double colsum_max = ref_colsum.maxCoeff();
    for (Index j = 0; j < nm; ++j) {
      // Well-conditioned columns only (SCHEMA.md §5): a column that decayed to 1e-6 of the largest holds ratios
      // of rounding noise.
      const bool conditioned = ref_colsum[j] >= 1e-6 * colsum_max;
      for (Index i = 0; i < nv; ++i) {
        const std::string at = "[" + std::to_string(i) + "][" + std::to_string(j) + "]";
        tally.fields["weights_normalized"].see(std::abs(out.weights(i, j) - ref_weights(i, j)), place(file, epoch, at));
        const double dc = std::abs(out.clipped_weights(i, j) - ref_clipped(i, j));
        tally.fields["clipped_weights"].see(dc, place(file, epoch, at));
        CHECK(dc <= 2e-5);
        if (version == YumaVersion::yuma2c) {
          const double rel = std::abs(state.bonds(i, j) - ref_bonds(i, j)) / std::max(std::abs(ref_bonds(i, j)), 1.0);
          tally.fields["bonds (relative, yuma2c)"].see(rel, place(file, epoch, at));
          if (!(rel <= 1e-5)) FAIL_CHECK(place(file, epoch, "bonds") << at << ": " << state.bonds(i, j) << " vs " << ref_bonds(i, j));
        } else {
          const double d = std::abs(state.bonds(i, j) - ref_bonds(i, j));
          tally.fields["bonds"].see(d, place(file, epoch, at));
          if (!(d <= 2e-5)) FAIL_CHECK(place(file, epoch, "bonds") << at << ": " << state.bonds(i, j) << " vs " << ref_bonds(i, j));
        }
        if (!conditioned) continue;
        const double d = std::abs(out.bonds_normalized(i, j) - ref_normalized(i, j));
        tally.fields["bonds_normalized"].see(d, place(file, epoch, at));
        if (!(d <= 2e-5))
          FAIL_CHECK(place(file, epoch, "bonds_normalized") << at << ": " << out.bonds_normalized(i, j) << " vs "
                                                            << ref_normalized(i, j));
      }
      if (!conditioned) {
        tally.ill_conditioned[{file.filename().string(), j}].push_back(epoch);
        tally.zero_columns += ref_colsum[j] == 0.0;
      }
    }
  }
}

}  // namespace

TEST_CASE("every reference file of yuma-cases is reproduced epoch by epoch within SCHEMA.md's tolerances",
          "[models][yuma][reference]") {
  const std::vector<fs::path> files = reference_files();
  REQUIRE(!files.empty());
  Tally tally;
  for (const fs::path& file : files) {
    INFO(file.string());
    check_file(file, tally);
  }
  CHECK(tally.files > 0);
  std::ostringstream report;
  report << "yuma reference: " << files.size() << " files found, " << tally.files << " case files, " << tally.epochs
         << " epochs compared\n";
  report << "worst absolute deviation per field (yuma2c bonds: relative):\n";
  for (const auto& [name, w] : tally.fields)
    report << "  " << name << ": " << w.deviation << " over " << w.compared << " values"
           << (w.where.empty() ? "" : " at " + w.where) << "\n";
  report << "epochs not compared (" << tally.skipped.size() << "):" << (tally.skipped.empty() ? " none" : "") << "\n";
  for (const std::string& s : tally.skipped) report << "  " << s << "\n";
  std::int64_t columns = 0;
  for (const auto& [key, epochs] : tally.ill_conditioned) columns += static_cast<std::int64_t>(epochs.size());
  report << "bonds_normalized not compared on " << columns << " ill-conditioned column-epochs (reference column sum below "
         << "1e-6 of the largest; " << tally.zero_columns << " of them exactly zero):\n";
  for (const auto& [key, epochs] : tally.ill_conditioned)
    report << "  " << key.first << " column " << key.second << ": epochs " << ranges(epochs) << "\n";
  std::cout << report.str();
}

// ---------------------------------------------------------------------------------------------------------------
// The stake-weighted kappa-quantile

namespace {

// The definition, by sorting: descending weights, cumulative stake, the first position that reaches kappa.
double quantile_by_sorting(const std::vector<double>& w, const std::vector<std::int64_t>& s, std::int64_t kappa) {
  std::vector<std::size_t> order(w.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return w[a] > w[b]; });
  std::int64_t cum = 0;
  for (std::size_t i : order) {
    cum += s[i];
    if (cum >= kappa) return w[i];
  }
  return w[order[0]];
}

std::vector<std::int64_t> units(const std::vector<double>& shares) {
  std::vector<std::int64_t> out;
  for (double x : shares) out.push_back(models::stake_units(x));
  return out;
}

double quantile(const std::vector<double>& w, const std::vector<double>& s, double kappa,
                double hint = std::numeric_limits<double>::quiet_NaN()) {
  models::QuantileScratch scratch;
  return models::kappa_quantile(w.data(), units(s).data(), static_cast<Index>(w.size()), models::stake_units(kappa),
                                scratch, hint);
}

}  // namespace

TEST_CASE("consensus is the largest weight that at least kappa of the stake gives or exceeds", "[models][yuma]") {
  const std::vector<double> s{0.6, 0.3, 0.1};
  const std::vector<double> w{0.2, 0.5, 0.9};
  // Descending: 0.9 (cumulative stake 0.1), 0.5 (0.4), 0.2 (1.0).
  CHECK(quantile(w, s, 0.5) == 0.2);
  CHECK(quantile(w, s, 0.4) == 0.5);  // reaching kappa exactly is enough
  CHECK(quantile(w, s, 0.41) == 0.2);
  CHECK(quantile(w, s, 0.1) == 0.9);
  CHECK(quantile(w, s, 0.0) == 0.9);
  // Unreachable kappa (the stake sums to less): the largest weight, as the reference's first position.
  CHECK(quantile(w, {0.1, 0.1, 0.1}, 0.5) == 0.9);
  // Ties are one weight: 0.5 is backed by 0.3 + 0.3.
  CHECK(quantile({0.5, 0.2, 0.5}, {0.3, 0.4, 0.3}, 0.5) == 0.5);
  // A validator without stake moves nothing.
  CHECK(quantile({1.0, 0.3, 0.2}, {0.0, 0.5, 0.5}, 0.5) == 0.3);
}

TEST_CASE("the kappa-quantile agrees with sorting on random columns with many ties, outliers, whatever the hint",
          "[models][yuma]") {
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 4000; ++trial) {
    // Up to 1,000 weights now and then: more than the 256 stake buckets.
    const auto n = static_cast<std::size_t>(1 + rng() % (trial % 10 == 0 ? 1000 : 200));
    const int distinct = 1 + static_cast<int>(rng() % 12);  // few distinct values: many ties
    const bool tied = trial % 2 == 0;
    std::vector<double> w(n);
    std::vector<std::int64_t> s(n);
    for (std::size_t i = 0; i < n; ++i) {
      w[i] = tied ? static_cast<double>(rng() % static_cast<unsigned>(distinct)) / distinct
                  : std::ldexp(static_cast<double>(rng() >> 11), -53) * (trial % 3 == 0 ? 1e-3 : 1.0);
      s[i] = (rng() % 5 == 0) ? 0 : static_cast<std::int64_t>(rng() % 1'000'000);
    }
    // An outlier puts every other weight in the lowest bucket; subnormal weights make the bucket scale infinite.
    if (trial % 7 == 1) w[rng() % n] = 1e300;
    if (trial % 11 == 2)
      for (double& x : w) x *= 1e-310;
    // kappa on a grid that hits cumulative sums exactly now and then, and beyond the total at times.
    const std::int64_t kappa = trial % 4 == 0 ? 500'000 * static_cast<std::int64_t>(n) / 2
                                              : static_cast<std::int64_t>(rng() % (600'000 * n + 1));
    const double hints[] = {std::numeric_limits<double>::quiet_NaN(), w[rng() % n], -1.0, 2.0, 0.5};
    const double want = quantile_by_sorting(w, s, kappa);
    models::QuantileScratch scratch;
    for (double hint : hints) {
      INFO("trial " << trial << " n " << n << " kappa " << kappa << " hint " << hint);
      REQUIRE(models::kappa_quantile(w.data(), s.data(), static_cast<Index>(n), kappa, scratch, hint) == want);
      // Each build of the epoch, with a guessed weight range (right, too narrow or none) besides the hint.
      for (const models::YumaKernel kernel : {models::YumaKernel::baseline, models::YumaKernel::avx2}) {
        if (!models::yuma_kernel_available(kernel)) continue;
        INFO("kernel " << models::to_string(kernel));
        const auto [lo, hi] = std::minmax_element(w.begin(), w.end());
        const double spread = *hi - *lo;
        for (const auto& [guess_lo, guess_hi] : {std::pair{*lo, *hi}, std::pair{*lo + spread / 3, *hi - spread / 3},
                                                  std::pair{std::nan(""), std::nan("")}}) {
          models::QuantileGuess guess{hint, guess_lo, guess_hi};
          REQUIRE(models::kappa_quantile(w.data(), s.data(), static_cast<Index>(n), kappa, scratch, guess, kernel) ==
                  want);
          if (std::isnan(hint) && kappa > 0) {  // the buckets ran: they keep the column's true range, for next time
            CHECK(guess.lo == *lo);
            CHECK(guess.hi == *hi);
          }
        }
      }
    }
  }
}

TEST_CASE("an epoch's raw consensus is the sorted definition's in every column, epoch after epoch, in every build",
          "[models][yuma]") {
  // Without a hint the epoch buckets the weights as it computes W, within each column's range of the epoch before:
  // new weights inside that range, beyond it, on few values or all equal must all give the sorted quantile.
  std::mt19937_64 rng(77);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (const models::YumaKernel kernel : {models::YumaKernel::baseline, models::YumaKernel::avx2}) {
    if (!models::yuma_kernel_available(kernel)) continue;
    for (const auto& [nv, nm] : {std::pair<Index, Index>{64, 40}, {13, 9}, {130, 5}}) {
      INFO(models::to_string(kernel) << " " << nv << " x " << nm);
      YumaParams p;
      p.version = YumaVersion::yuma3;
      YumaState state;
      YumaEpoch out;
      out.pair_outputs = true;  // W, to sort
      for (int e = 0; e < 8; ++e) {
        INFO("epoch " << e);
        const double scale = e % 4 == 3 ? 50.0 : 1.0;  // now and then far beyond last epoch's range
        const VectorXd stakes = VectorXd::NullaryExpr(nv, [&] { return std::exp(4.0 * u(rng)); });
        const MatrixXd w = MatrixXd::NullaryExpr(nv, nm, [&] {
          if (e == 5) return 0.25;                                    // every weight equal
          if (e % 2 == 1) return std::floor(u(rng) * 4) / 4 * scale;  // few values: ties
          return u(rng) * u(rng) * scale;
        });
        models::yuma_epoch(p, stakes, w, state, out, kernel);
        std::vector<std::int64_t> s(static_cast<std::size_t>(nv));
        for (Index i = 0; i < nv; ++i) s[static_cast<std::size_t>(i)] = models::stake_units(out.stake[i]);
        for (Index j = 0; j < nm; ++j) {
          INFO("column " << j);
          const std::vector<double> column(out.weights.col(j).data(), out.weights.col(j).data() + nv);
          REQUIRE(out.consensus_raw[j] == quantile_by_sorting(column, s, models::stake_units(p.kappa)));
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One epoch, by hand. Raw weights rows sum to 1, so W = W_raw / (1 + 1e-6); the checks allow for that.

namespace {

constexpr double near = 1e-5;

YumaParams raw_consensus(YumaVersion version) {
  YumaParams p;
  p.version = version;
  p.consensus_quantization = 0;  // C = Ĉ: clip at the raw quantile, easy to follow by hand
  return p;
}

// Three validators with 60%, 30% and 10% of the stake; two miners.
//   column 0: 0.8 (s 0.6), 0.4 (s 0.3), 0 (s 0.1)  -> C0 = 0.8
//   column 1: 1.0 (s 0.1), 0.6 (s 0.3), 0.2 (s 0.6) -> C1 = 0.2
const VectorXd three_stakes = (VectorXd(3) << 6.0, 3.0, 1.0).finished();
const MatrixXd three_weights = (MatrixXd(3, 2) << 0.8, 0.2, 0.4, 0.6, 0.0, 1.0).finished();

void check_near(const VectorXd& got, const std::vector<double>& want) {
  REQUIRE(got.size() == static_cast<Index>(want.size()));
  for (Index k = 0; k < got.size(); ++k) {
    INFO("entry " << k);
    CHECK(got[k] == Approx(want[static_cast<std::size_t>(k)]).margin(near));
  }
}

}  // namespace

TEST_CASE("weights above consensus are clipped to it, and only clipped weight earns rank and incentive", "[models][yuma]") {
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(raw_consensus(YumaVersion::yuma2), three_stakes, three_weights, state, out);
  check_near(out.stake, {0.6, 0.3, 0.1});
  check_near(out.consensus, {0.8, 0.2});
  check_near(out.clipped_weights.col(0), {0.8, 0.4, 0.0});
  check_near(out.clipped_weights.col(1), {0.2, 0.2, 0.2});
  check_near(out.prerank, {0.6, 0.4});    // 0.6*0.8 + 0.3*0.4;  0.6*0.2 + 0.3*0.6 + 0.1*1
  check_near(out.rank, {0.6, 0.2});       // 0.6*0.8 + 0.3*0.4;  0.2
  check_near(out.incentives, {0.75, 0.25});
  check_near(out.trust, {1.0, 0.5});
  check_near(out.validator_trust, {1.0, 0.6, 0.2});
  CHECK_FALSE(out.consensus_degenerate);
}

TEST_CASE("consensus is normalized to sum to one and rounded down to multiples of 1/65535", "[models][yuma]") {
  YumaParams p = raw_consensus(YumaVersion::yuma2);
  p.consensus_quantization = 65535;
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  // Ĉ = (0.8, 0.2) / (1 + 1e-6): normalized (0.8, 0.2); 0.8 * 65535 = 52428 (trunc of 52428.0 minus rounding),
  // 0.2 * 65535 = 13107.
  CHECK(out.consensus_raw[0] == Approx(0.8).margin(near));
  CHECK(std::abs(out.consensus_u16[0] - 52428) <= 1);
  CHECK(std::abs(out.consensus_u16[1] - 13107) <= 1);
  for (Index j = 0; j < 2; ++j) CHECK(out.consensus[j] == static_cast<double>(out.consensus_u16[j]) / 65535.0);

  // A consensus that sums to less than one is scaled up before the clip: one miner backed by half the stake.
  const VectorXd s = (VectorXd(2) << 1.0, 1.0).finished();
  const MatrixXd w = (MatrixXd(2, 2) << 0.5, 0.5, 0.1, 0.9).finished();
  YumaState state2;
  models::yuma_epoch(p, s, w, state2, out);
  // Ĉ = (0.5, 0.9) (kappa 0.5 reached by one validator each), sum 1.4: C = (0.357142, 0.642857).
  CHECK(out.consensus[0] == Approx(0.5 / 1.4).margin(near));
  CHECK(out.consensus[1] == Approx(0.9 / 1.4).margin(near));
  CHECK(out.consensus_u16[0] == static_cast<std::int64_t>(0.5 / 1.4 * 65535));
}

TEST_CASE("when no miner reaches kappa, consensus is zero and nobody earns incentive", "[models][yuma]") {
  // Each validator backs a different miner with a third of the stake (SCHEMA.md §4.9's case 21).
  const VectorXd s = VectorXd::Ones(3);
  const MatrixXd w = MatrixXd::Identity(3, 3);
  YumaParams p;
  p.version = YumaVersion::yuma3;
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, s, w, state, out);
  CHECK(out.consensus_degenerate);
  CHECK(out.rank_all_zero);
  CHECK(out.consensus.isZero());
  CHECK(out.clipped_weights.isZero());
  CHECK(out.incentives.isZero());
  CHECK(out.dividends.isZero());
  // Under winner-takes-all every miner ties at rank 0 and shares the incentive.
  p.winner_takes_all = true;
  YumaState state2;
  models::yuma_epoch(p, s, w, state2, out);
  check_near(out.incentives, {1.0 / 3, 1.0 / 3, 1.0 / 3});
}

TEST_CASE("winner takes all gives the whole incentive to the top-ranked miners, split among exact ties", "[models][yuma]") {
  YumaParams p = raw_consensus(YumaVersion::yuma2);
  p.winner_takes_all = true;
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  check_near(out.incentives, {1.0, 0.0});
  const VectorXd s = VectorXd::Ones(2);
  const MatrixXd w = (MatrixXd(2, 3) << 0.5, 0.5, 0.0, 0.5, 0.5, 0.0).finished();
  YumaState state2;
  models::yuma_epoch(p, s, w, state2, out);
  check_near(out.incentives, {0.5, 0.5, 0.0});
}

TEST_CASE("yuma2 bonds are stake-weighted clipped weights, column-normalized, and dividends follow them",
          "[models][yuma]") {
  YumaState state;
  YumaEpoch out;
  const YumaParams p = raw_consensus(YumaVersion::yuma2);
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  // S∘W̄: column 0 (0.48, 0.12, 0) / 0.6; column 1 (0.12, 0.06, 0.02) / 0.2.
  check_near(state.bonds.col(0), {0.8, 0.2, 0.0});
  check_near(state.bonds.col(1), {0.6, 0.3, 0.1});
  // D = B I = (0.8*0.75 + 0.6*0.25, 0.2*0.75 + 0.3*0.25, 0.1*0.25).
  check_near(out.dividends, {0.75, 0.225, 0.025});
  check_near(out.relative_dividends, {0.15, -0.075, -0.075});
  CHECK(out.alpha == Approx(0.9));
}

TEST_CASE("with no bond penalty, yuma2 bonds follow the unclipped weights", "[models][yuma]") {
  YumaParams p = raw_consensus(YumaVersion::yuma2);
  p.bond_penalty = 0.0;
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  // S∘W: column 1 (0.12, 0.18, 0.1) / 0.4.
  check_near(state.bonds.col(1), {0.3, 0.45, 0.25});
  check_near(out.dividends, {0.675, 0.2625, 0.0625});
}

TEST_CASE("yuma2 bonds move toward the instant bonds at rate 1 - bond_moving_avg", "[models][yuma]") {
  YumaParams p = raw_consensus(YumaVersion::yuma2);
  p.bond_moving_avg = 0.75;  // rate 0.25
  const MatrixXd w = MatrixXd::Ones(2, 1);
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, (VectorXd(2) << 1.0, 1.0).finished(), w, state, out);
  check_near(state.bonds.col(0), {0.5, 0.5});  // the first epoch takes the instant bonds
  models::yuma_epoch(p, (VectorXd(2) << 9.0, 1.0).finished(), w, state, out);
  check_near(state.bonds.col(0), {0.25 * 0.9 + 0.75 * 0.5, 0.25 * 0.1 + 0.75 * 0.5});
}

TEST_CASE("yuma1 has no memory: its bonds are each epoch's instant bonds whatever bond_moving_avg is", "[models][yuma]") {
  YumaParams p = raw_consensus(YumaVersion::yuma1);
  p.bond_moving_avg = 0.75;
  const MatrixXd w = MatrixXd::Ones(2, 1);
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, (VectorXd(2) << 1.0, 1.0).finished(), w, state, out);
  models::yuma_epoch(p, (VectorXd(2) << 9.0, 1.0).finished(), w, state, out);
  check_near(state.bonds.col(0), {0.9, 0.1});
  CHECK(out.alpha == 1.0);
}

TEST_CASE("yuma2b clips, ranks and bonds with the previous epoch's weights", "[models][yuma]") {
  const YumaParams p = raw_consensus(YumaVersion::yuma2b);
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  // The first epoch has no previous weights: it uses the current ones, as yuma2.
  check_near(out.clipped_weights.col(1), {0.2, 0.2, 0.2});
  // Everyone moves to miner 1 at once; consensus follows at once, the clip uses the old weights.
  const MatrixXd moved = (MatrixXd(3, 2) << 0.0, 1.0, 0.0, 1.0, 0.0, 1.0).finished();
  models::yuma_epoch(p, three_stakes, moved, state, out);
  check_near(out.consensus, {0.0, 1.0});
  check_near(out.clipped_weights.col(0), {0.0, 0.0, 0.0});   // min(W_prev, C = 0)
  check_near(out.clipped_weights.col(1), {0.2, 0.6, 1.0});   // min(W_prev, C = 1)
  check_near(out.incentives, {0.0, 1.0});
  check_near(out.validator_trust, {0.2, 0.6, 1.0});  // rowsum(W̄) / rowsum(current W)
}

TEST_CASE("yuma2c buys at most capacity_alpha of a validator's stake capacity per epoch, less decay", "[models][yuma]") {
  YumaParams p;
  p.version = YumaVersion::yuma2c;
  const VectorXd s = (VectorXd(2) << 3.0, 1.0).finished();
  const MatrixXd w = MatrixXd::Ones(2, 1);
  const double m = p.capacity_scale;
  YumaState state;
  YumaEpoch out;
  // B_n = (1 - 0.9^n) cap_i: each epoch buys 0.1 cap and keeps 0.9 of the rest.
  for (int n = 1; n <= 3; ++n) {
    models::yuma_epoch(p, s, w, state, out);
    const double share = 1.0 - std::pow(0.9, n);
    CHECK(state.bonds(0, 0) == Approx(share * 0.75 * m).epsilon(near));
    CHECK(state.bonds(1, 0) == Approx(share * 0.25 * m).epsilon(near));
  }
  // Dividends follow the normalized bonds, not stake on top of them.
  check_near(out.dividends, {0.75, 0.25});
  // Never above capacity: buying everything at once fills it.
  p.capacity_alpha = 1.0;
  p.decay_rate = 0.0;
  YumaState full;
  for (int n = 0; n < 3; ++n) models::yuma_epoch(p, s, w, full, out);
  CHECK(full.bonds(0, 0) <= 0.75 * m);
  CHECK(full.bonds(0, 0) == Approx(0.75 * m).epsilon(near));
}

TEST_CASE("yuma3 bonds keep bond_moving_avg of themselves and buy the rest toward 1, and dividends weigh stake",
          "[models][yuma]") {
  YumaParams p;
  p.version = YumaVersion::yuma3;  // bond_moving_avg 0.1: rate 0.9
  const VectorXd s = (VectorXd(2) << 3.0, 1.0).finished();
  const MatrixXd w = MatrixXd::Ones(2, 1);
  YumaState state;
  YumaEpoch out;
  // B_1 = 0.9, B_2 = 0.1 * 0.9 + 0.9 = 0.99, B_3 = 0.999: not stake-weighted, capped at 1.
  for (double want : {0.9, 0.99, 0.999}) {
    models::yuma_epoch(p, s, w, state, out);
    check_near(state.bonds.col(0), {want, want});
  }
  // Equal bonds: dividends in proportion to stake.
  check_near(out.dividends, {0.75, 0.25});
  CHECK(out.alpha == Approx(0.9));
  CHECK_FALSE(out.alpha_per_pair);
}

TEST_CASE("yuma3 buys bonds with unclipped weights, so a minority's early move earns bonds at once", "[models][yuma]") {
  YumaParams p;
  p.version = YumaVersion::yuma3;
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  // B = min(0.9 W, 1): validator 2's full weight on miner 1 buys 0.9 although consensus is 0.2.
  check_near(state.bonds.col(1), {0.18, 0.54, 0.9});
}

TEST_CASE("liquid alpha rises along a sigmoid from alpha_low to alpha_high with the distance from consensus",
          "[models][yuma]") {
  YumaParams p;  // alpha 0.1 .. 0.3, steepness 10
  const double low_end = 0.1 + 0.2 / (1.0 + std::exp(5.0));   // d = 0: sigmoid(-5)
  const double high_end = 0.1 + 0.2 / (1.0 + std::exp(-5.0)); // d = 1: sigmoid(5)
  // Buying (w >= b): the distance is how far the weight exceeds consensus.
  CHECK(models::liquid_alpha(0.3, 0.0, 0.5, p) == Approx(low_end).epsilon(1e-14));  // below consensus: d = 0
  CHECK(models::liquid_alpha(0.9, 0.0, 0.4, p) == Approx(0.2).epsilon(1e-14));      // d = 0.5: the midpoint
  CHECK(models::liquid_alpha(1.0, 0.0, 0.0, p) == Approx(high_end).epsilon(1e-14)); // d = 1
  // Selling (w < b): the distance is how far the weight fell below the bond.
  CHECK(models::liquid_alpha(0.1, 0.6, 0.0, p) == Approx(0.2).epsilon(1e-14));
  // Never outside [alpha_low, alpha_high], however steep.
  p.alpha_sigmoid_steepness = 1e6;
  CHECK(models::liquid_alpha(1.0, 0.0, 0.0, p) == 0.3);
  CHECK(models::liquid_alpha(0.0, 0.0, 0.5, p) == 0.1);
}

TEST_CASE("liquid alpha applies from the second epoch, against the consensus the mode names", "[models][yuma]") {
  YumaParams p;
  p.version = YumaVersion::yuma3_liquid;
  p.liquid_alpha_consensus = models::LiquidAlphaConsensus::previous;
  YumaState state;
  YumaEpoch out;
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  CHECK_FALSE(out.alpha_per_pair);  // the first epoch has no previous consensus: alpha = 1 - bma
  CHECK(out.alpha == Approx(0.9));
  const VectorXd c_old = out.consensus;
  const MatrixXd b_old = state.bonds;
  const MatrixXd moved = (MatrixXd(3, 2) << 0.0, 1.0, 0.0, 1.0, 0.0, 1.0).finished();
  models::yuma_epoch(p, three_stakes, moved, state, out);
  REQUIRE(out.alpha_per_pair);
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 2; ++j) {
      const double a = models::liquid_alpha(out.weights(i, j), b_old(i, j), c_old[j], p);
      CHECK(out.alpha_pairs(i, j) == a);
      const double decayed = b_old(i, j) * (1 - a);
      CHECK(state.bonds(i, j) == Approx(std::min(decayed + std::min(a * out.weights(i, j), 1 - decayed), 1.0)));
    }
  }
  // Mixed takes the larger of the two consensus values; current the new one.
  p.liquid_alpha_consensus = models::LiquidAlphaConsensus::mixed;
  YumaState mixed;
  models::yuma_epoch(p, three_stakes, three_weights, mixed, out);
  models::yuma_epoch(p, three_stakes, moved, mixed, out);
  CHECK(out.alpha_pairs(0, 1) ==
        models::liquid_alpha(out.weights(0, 1), b_old(0, 1), std::max(c_old[1], out.consensus[1]), p));
}

TEST_CASE("liquid alpha over a whole epoch equals the single-pair formula to the bit", "[models][yuma]") {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  YumaParams p;
  p.version = YumaVersion::yuma3_liquid;
  for (double steepness : {10.0, 0.5, 2000.0}) {  // 2000: arguments beyond the vectorized range
    p.alpha_sigmoid_steepness = steepness;
    const VectorXd stakes = VectorXd::NullaryExpr(17, [&] { return u(rng); });
    YumaState state;
    YumaEpoch out;
    for (int e = 0; e < 3; ++e) {
      const MatrixXd w = MatrixXd::NullaryExpr(17, 33, [&] { return u(rng) < 0.3 ? 0.0 : u(rng); });
      const MatrixXd b_old = state.bonds;
      const VectorXd c_old = state.consensus;
      models::yuma_epoch(p, stakes, w, state, out);
      if (e == 0) continue;
      for (Index i = 0; i < 17; ++i)
        for (Index j = 0; j < 33; ++j)
          REQUIRE(out.alpha_pairs(i, j) == models::liquid_alpha(out.weights(i, j), b_old(i, j), out.consensus[j], p));
    }
  }
}

namespace {

// The same bits, NaN and the sign of zero included.
template <class A, class B>
bool same_bits(const A& a, const B& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 ||  // an empty matrix's data() may be null, which memcmp must not see
          std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(*a.data())) == 0);
}

}  // namespace

TEST_CASE("every build of the epoch gives the baseline's bits, for every version, shape and weight pattern",
          "[models][yuma]") {
  using models::YumaKernel;
  if (!models::yuma_kernel_available(YumaKernel::avx2)) {
    WARN("this processor has no AVX2: only the baseline build runs here");
    return;
  }
  std::mt19937_64 rng(2026);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (YumaVersion version : models::all_yuma_versions) {
    // Row counts on and off the four-lane blocks; columns repeated or new from epoch to epoch (the hint's two paths).
    for (const auto& [nv, nm] : {std::pair<Index, Index>{64, 256}, {13, 31}, {3, 5}, {130, 7}}) {
      for (const bool pairs : {true, false}) {
        INFO(models::to_string(version) << " " << nv << " x " << nm << (pairs ? " with pairs" : ""));
        YumaParams p;
        p.version = version;
        YumaState state[2];
        YumaEpoch out[2];
        out[0].pair_outputs = out[1].pair_outputs = pairs;
        MatrixXd w = MatrixXd::Zero(nv, nm);
        for (int e = 0; e < 6; ++e) {
          const VectorXd stakes = VectorXd::NullaryExpr(nv, [&] { return std::exp(3.0 * u(rng)); });
          if (e % 3 != 2)  // every third epoch keeps last epoch's weights
            w = MatrixXd::NullaryExpr(nv, nm, [&] { return u(rng) < 0.3 ? 0.0 : std::floor(u(rng) * 8) / 8 + u(rng); });
          models::yuma_epoch(p, stakes, w, state[0], out[0], YumaKernel::baseline);
          models::yuma_epoch(p, stakes, w, state[1], out[1], YumaKernel::avx2);
          REQUIRE(same_bits(out[0].prerank, out[1].prerank));
          REQUIRE(same_bits(out[0].consensus_raw, out[1].consensus_raw));
          REQUIRE(same_bits(out[0].rank, out[1].rank));
          REQUIRE(same_bits(out[0].incentives, out[1].incentives));
          REQUIRE(same_bits(out[0].trust, out[1].trust));
          REQUIRE(same_bits(out[0].validator_trust, out[1].validator_trust));
          REQUIRE(same_bits(out[0].bond_column_sums, out[1].bond_column_sums));
          REQUIRE(same_bits(out[0].dividends, out[1].dividends));
          REQUIRE(same_bits(state[0].bonds, state[1].bonds));
          if (pairs) {
            REQUIRE(same_bits(out[0].clipped_weights, out[1].clipped_weights));
            REQUIRE(same_bits(out[0].bonds_normalized, out[1].bonds_normalized));
            REQUIRE(same_bits(out[0].alpha_pairs, out[1].alpha_pairs));
          }
        }
      }
    }
  }
}

TEST_CASE("a bond reset zeroes one miner's column for every validator", "[models][yuma]") {
  YumaParams p;
  YumaState state;
  YumaEpoch out;
  models::reset_bonds(state, 0);  // nothing to reset before the first epoch
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  models::reset_bonds(state, 1);
  CHECK(state.bonds.col(1).isZero());
  CHECK_FALSE(state.bonds.col(0).isZero());
  CHECK_THROWS_AS(models::reset_bonds(state, 2), std::invalid_argument);
}

TEST_CASE("an epoch refuses stakes, weights or a state of mismatched shapes, and invalid parameters", "[models][yuma]") {
  YumaParams p;
  YumaState state;
  YumaEpoch out;
  CHECK_THROWS_AS(models::yuma_epoch(p, VectorXd::Ones(2), three_weights, state, out), std::invalid_argument);
  models::yuma_epoch(p, three_stakes, three_weights, state, out);
  CHECK_THROWS_AS(models::yuma_epoch(p, three_stakes, MatrixXd::Ones(3, 3), state, out), std::invalid_argument);
  p.alpha_low = 0.5;
  p.alpha_high = 0.2;
  CHECK(models::check_yuma_params(p) == "expected alpha_low <= alpha_high, found 0.5 > 0.2");
  CHECK_THROWS_WITH(models::yuma_epoch(p, three_stakes, three_weights, state, out),
                    Catch::Contains("alpha_low <= alpha_high"));
}

TEST_CASE("yuma parameters come from declared scenario parameters, defaults filled in", "[models][yuma]") {
  scenario::Params params;
  for (const scenario::ParamSpec& spec : models::yuma_param_specs()) {
    REQUIRE(spec.default_value.has_value());
    CHECK(!spec.description.empty());
    params.set(spec.name, *spec.default_value);
  }
  const YumaParams defaults;
  YumaParams p = models::yuma_params_from(params);
  CHECK(p.version == defaults.version);
  CHECK(p.kappa == defaults.kappa);
  CHECK(p.capacity_scale == defaults.capacity_scale);
  CHECK(p.consensus_quantization == 65535);
  params.set("version", std::string("yuma2b"));
  params.set("liquid_alpha_consensus_mode", std::string("mixed"));
  params.set("kappa", 0.6);
  p = models::yuma_params_from(params);
  CHECK(p.version == YumaVersion::yuma2b);
  CHECK(p.liquid_alpha_consensus == models::LiquidAlphaConsensus::mixed);
  CHECK(p.kappa == 0.6);
  params.set("alpha_low", 0.9);
  CHECK_THROWS_AS(models::yuma_params_from(params), std::invalid_argument);
  CHECK(models::parse_yuma_version("YUMA3_LIQUID") == YumaVersion::yuma3_liquid);
  CHECK_FALSE(models::parse_yuma_version("yuma4").has_value());
}

// ---------------------------------------------------------------------------------------------------------------
// Allocation: every heap allocation of this test program goes through malloc, which is counted here. (Under the
// address sanitizer, which owns malloc, the check is left out.)

#if !defined(__SANITIZE_ADDRESS__)
namespace {
std::int64_t malloc_calls = 0;
}  // namespace
extern "C" void* __libc_malloc(std::size_t size);
extern "C" void* malloc(std::size_t size) {
  ++malloc_calls;
  return __libc_malloc(size);
}

TEST_CASE("after its first epoch, a Yuma epoch allocates nothing", "[models][yuma]") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const Index nv = 16;
  const Index nm = 40;
  for (YumaVersion version : models::all_yuma_versions) {
    INFO(models::to_string(version));
    YumaParams p;
    p.version = version;
    std::vector<VectorXd> stakes;
    std::vector<MatrixXd> weights;
    for (int e = 0; e < 4; ++e) {
      stakes.push_back(VectorXd::NullaryExpr(nv, [&] { return u(rng); }));
      weights.push_back(MatrixXd::NullaryExpr(nv, nm, [&] { return u(rng); }));
    }
    YumaState state;
    YumaEpoch out;
    models::yuma_epoch(p, stakes[0], weights[0], state, out);
    models::yuma_epoch(p, stakes[1], weights[1], state, out);  // liquid alpha's matrix appears at the second
    const std::int64_t before = malloc_calls;
    models::yuma_epoch(p, stakes[2], weights[2], state, out);
    models::yuma_epoch(p, stakes[3], weights[3], state, out);
    CHECK(malloc_calls == before);
  }
}
#endif

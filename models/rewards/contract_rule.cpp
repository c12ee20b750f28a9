#include "models/rewards/contract_rule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/rewards/pipeline.hpp"
#include "models/rewards/quadratic_funding.hpp"

namespace dais::models {

namespace {

using chain::AbiValue;
using chain::uint256;

constexpr std::uint64_t account_base = std::uint64_t{1} << 40;
// The network's account on the chain: it deploys the contracts and sends what the protocol sends.
const chain::Address network = chain::Address::from_u64(0xDA150000);

chain::Artifact artifact_for(const scenario::Params& p, const RuleEnvironment& env) {
  const std::string& artifact = p.text("artifact");
  const std::string builtin = "builtin:";
  if (artifact.starts_with(builtin)) return chain::load_artifact(env.builtin_contracts, artifact.substr(builtin.size()));
  return chain::load_artifact(env.scenario_folder / artifact, p.text("contract"));
}

// What the contract is told each epoch: the contributors' contributions or stakes, or donors' donations to them.
enum class WeightsKind { contribution, stake, donations };

WeightsKind weights_kind_of(const std::string& name) {
  if (name == "stake") return WeightsKind::stake;
  if (name == "donations") return WeightsKind::donations;
  return WeightsKind::contribution;
}

class ContractRule final : public RewardRule {
 public:
  ContractRule(const scenario::Params& p, const RuleEnvironment& env)
      : contract_(deploy(p, env)),
        account_(env.open_account()),
        distribute_(p.text("function")),
        claim_(p.text("claim")),
        weights_kind_(weights_kind_of(p.text("weights"))),
        donor_model_(DonorModel::from(p)),
        random_(env.random),
        slash_below_(p.real("slash_below")),
        slash_millionths_(static_cast<std::uint64_t>(std::llround(p.real("slash_fraction") * 1e6))) {
    const chain::ContractAbi& abi = contract_.abi();
    if (abi.signature_of(distribute_) != distribute_ + "(address[],uint256[])")
      throw RewardError(fmt::format("the contract's {} must take (address[] contributors, uint256[] weights), not {}",
                                    distribute_, abi.signature_of(distribute_)));
    if (!claim_.empty() && abi.signature_of(claim_) != claim_ + "()")
      throw RewardError(fmt::format("the contract's {} must take no arguments, not {}", claim_, abi.signature_of(claim_)));
    has_claimable_ = abi.has_function("claimable(address)");
    if (slash_below_ > 0 && !(abi.has_function("slash(address,uint256)") && has_claimable_))
      throw RewardError("slash_below is set, but the contract has no slash(address,uint256) and claimable(address)");
    has_budget_ = abi.has_function("setEpochBudget(uint256)");
    transfer_topic_ = chain::topic_of("Transfer(address,address,uint256)");
  }

  bool needs_stakes() const noexcept override { return weights_kind_ == WeightsKind::stake; }
  bool pays_on_chain() const noexcept override { return true; }
  std::span<const TokenMovement> movements() const override { return movements_; }
  std::span<const std::int64_t> contributor_gas() const override { return gas_; }
  std::int64_t owner_gas() const override { return owner_gas_; }

  void allocate(const EpochContext& ctx, std::span<ledger::TokenAmount> out) override {
    const std::size_t n = ctx.accounts.size();
    movements_.clear();
    gas_.assign(n, 0);
    owner_gas_ = 0;
    std::fill(out.begin(), out.end(), ledger::TokenAmount{});
    if (n == 0 || ctx.budget.is_zero()) return;
    weights_.resize(n);
    std::vector<AbiValue> to;
    std::vector<AbiValue> weights;
    if (weights_kind_ == WeightsKind::donations) {
      // One entry per donation, grouped by contributor; weights_ then counts each one's donations.
      draw_donations(donor_model_, random_, ctx.epoch, ctx.contributions, ctx.pledges, donations_);
      if (donations_.project.empty()) return;
      std::copy(donations_.count.begin(), donations_.count.end(), weights_.begin());
      to.reserve(donations_.project.size());
      weights.reserve(donations_.project.size());
      for (std::size_t d = 0; d < donations_.project.size(); ++d) {
        to.emplace_back(address_of_account(ctx.accounts[donations_.project[d]]));
        weights.emplace_back(uint256(donations_.units[d]));
      }
    } else {
      if (weights_kind_ == WeightsKind::stake) {
        // Stakes shifted right until their sum fits, as the native stake_weighted rule quantizes them.
        u128 sum = 0;
        for (ledger::TokenAmount s : ctx.stakes) sum += s.base_units();
        int shift = 0;
        while ((sum >> shift) >= (u128{1} << 62)) ++shift;
        for (std::size_t k = 0; k < n; ++k) weights_[k] = static_cast<std::uint64_t>(ctx.stakes[k].base_units() >> shift);
      } else {
        ledger::quantize_weights(ctx.contributions, weights_);
      }
      if (std::all_of(weights_.begin(), weights_.end(), [](std::uint64_t w) { return w == 0; })) return;
      to.reserve(n);
      weights.reserve(n);
      for (std::size_t k = 0; k < n; ++k) {
        to.emplace_back(address_of_account(ctx.accounts[k]));
        weights.emplace_back(uint256(weights_[k]));
      }
    }

    if (has_budget_ && ctx.budget != budget_set_) {
      owner_gas_ += collect(contract_.transact(network, "setEpochBudget", {word(ctx.budget)}));
      budget_set_ = ctx.budget;
    }
    owner_gas_ += collect(contract_.transact(network, distribute_, {to, weights}));
    if (slash_below_ > 0) slash_underperformers(ctx);
    if (!claim_.empty()) {
      for (std::size_t k = 0; k < n; ++k) {
        if (weights_[k] == 0) continue;
        const chain::Address who = address_of_account(ctx.accounts[k]);
        if (has_claimable_ && !contract_.call(who, "claimable", {who})[0].word()) continue;
        gas_[k] += collect(contract_.transact(who, claim_, {}));
      }
    }
    // What each contributor received, from the movements (accounts ascending, as the economy gives them).
    for (const TokenMovement& m : movements_) {
      if (!m.to) continue;
      const auto it = std::lower_bound(ctx.accounts.begin(), ctx.accounts.end(), *m.to);
      if (it != ctx.accounts.end() && *it == *m.to) out[static_cast<std::size_t>(it - ctx.accounts.begin())] += m.amount;
    }
  }

 private:
  // Contributors whose work fell below slash_below times the mean lose slash_fraction of their unclaimed reward.
  void slash_underperformers(const EpochContext& ctx) {
    double mean = 0.0;
    for (double q : ctx.contributions) mean += q;
    mean /= static_cast<double>(ctx.contributions.size());
    for (std::size_t k = 0; k < ctx.accounts.size(); ++k) {
      if (!(ctx.contributions[k] < slash_below_ * mean)) continue;
      const chain::Address who = address_of_account(ctx.accounts[k]);
      const uint256 pending = contract_.call(network, "claimable", {who})[0].word();
      const uint256 amount = pending / uint256(1'000'000) * uint256(slash_millionths_) +
                             pending % uint256(1'000'000) * uint256(slash_millionths_) / uint256(1'000'000);
      if (amount) owner_gas_ += collect(contract_.transact(network, "slash", {who, amount}));
    }
  }

  static chain::Contract deploy(const scenario::Params& p, const RuleEnvironment& env) {
    if (env.chain == nullptr || env.clock == nullptr) throw RewardError("the contract rule needs the scenario's chain");
    const chain::Artifact artifact = artifact_for(p, env);
    const chain::ContractAbi abi(artifact.abi);
    std::vector<AbiValue> args;
    const auto& inputs = abi.constructor_inputs();
    if (inputs.size() == 3 && inputs[0].canonical() == "string" && inputs[1].canonical() == "string" &&
        inputs[2].canonical() == "uint256") {
      args = {p.text("name"), p.text("symbol"), uint256(0)};
    } else if (!inputs.empty()) {
      throw RewardError(fmt::format("{} ({}): the contract rule deploys contracts whose constructor takes (string name, "
                                    "string symbol, uint256 epochBudget) or nothing",
                                    artifact.name, artifact.file));
    }
    return chain::Contract::deploy(*env.chain, *env.clock, network, artifact, args);
  }

  static AbiValue word(ledger::TokenAmount a) {
    const u128 units = a.base_units();
    return uint256(static_cast<std::uint64_t>(units), static_cast<std::uint64_t>(units >> 64), 0, 0);
  }

  std::optional<ledger::AccountId> account_of(const chain::Address& a) const {
    if (a == chain::Address{}) return std::nullopt;
    if (a == contract_.address()) return account_;
    const uint256 v = a.to_word();
    if (v.fits_u64() && v.w[0] >= account_base && v.w[0] - account_base < 0xffffffffu)
      return static_cast<ledger::AccountId>(v.w[0] - account_base);
    throw RewardError(fmt::format("the contract at {} moved tokens to or from {}, an address dais does not know",
                                  evm::to_hex(contract_.address()), evm::to_hex(a)));
  }

  // Records the contract's Transfer events of a receipt; returns the gas it used.
  std::int64_t collect(const chain::Receipt& r) {
    for (const evm::Log& log : r.logs) {
      if (log.address != contract_.address() || log.topics.empty() || log.topics[0] != transfer_topic_) continue;
      const auto event = contract_.abi().decode_event(log);
      const uint256& value = event->at("value").word();
      if (value.w[2] != 0 || value.w[3] != 0)
        throw RewardError(fmt::format("the contract at {} moved {} base units, more than 128 bits hold",
                                      evm::to_hex(contract_.address()), value.to_dec()));
      const auto amount = ledger::TokenAmount::from_base_units((u128{value.w[1]} << 64) | value.w[0]);
      movements_.push_back({account_of(event->at("from").address()), account_of(event->at("to").address()), amount});
    }
    return r.gas_used;
  }

  chain::Contract contract_;
  ledger::AccountId account_;
  std::string distribute_;
  std::string claim_;
  WeightsKind weights_kind_;
  DonorModel donor_model_;
  core::StreamKey random_;
  Donations donations_;
  double slash_below_;
  std::uint64_t slash_millionths_;
  bool has_claimable_ = false;
  bool has_budget_ = false;
  evm::Bytes32 transfer_topic_;
  std::optional<ledger::TokenAmount> budget_set_;
  std::vector<std::uint64_t> weights_;
  std::vector<TokenMovement> movements_;
  std::vector<std::int64_t> gas_;
  std::int64_t owner_gas_ = 0;
};

}  // namespace

chain::Address address_of_account(ledger::AccountId account) noexcept {
  return chain::Address::from_u64(account_base + account);
}

void register_contract_rule(scenario::Registry<RuleFactory>& rules) {
  using scenario::text_param;
  std::vector<scenario::ParamSpec> params{text_param("artifact", std::nullopt, {},
                  "the contract: builtin:NAME (models/contracts), or a solc, Foundry or Hardhat JSON file"),
       text_param("contract", "", {}, "which contract of the artifact file (needed when it holds several)"),
       text_param("function", "distribute", {}, "called each epoch by the network with (contributors, weights)"),
       text_param("claim", "claim", {}, "called by each contributor to collect; \"\" when the contract pays directly"),
       text_param("weights", "contribution", {"contribution", "stake", "donations"},
                  "what the weights are; donations: one entry per donation of a community of donors (quadratic_funding)"),
       scenario::real_param("slash_below", 0.0, "x mean contribution",
                            "contributors below this multiple of the mean are slashed (0: never); needs slash()", 0.0),
       scenario::real_param("slash_fraction", 0.5, "", "share of a slashed contributor's unclaimed reward burned", 0.0, 1.0),
       text_param("name", "Reward", {}, "the token's name, for the constructor"),
       text_param("symbol", "RWD", {}, "the token's symbol, for the constructor")};
  for (scenario::ParamSpec& donor : donor_params()) params.push_back(std::move(donor));
  scenario::ComponentInfo info{
      "contract",
      "paid by a Solidity contract on the scenario's chain; token movements come from its Transfer events",
      std::move(params),
      {}};
  info.needs_chain = true;
  rules.add(std::move(info), [](const scenario::Params& p, const RuleEnvironment& env) -> std::unique_ptr<RewardRule> {
    return std::make_unique<ContractRule>(p, env);
  });
}

}  // namespace dais::models

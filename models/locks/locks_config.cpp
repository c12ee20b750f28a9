#include "models/locks/locks_config.hpp"

#include "models/section_reader.hpp"

namespace dais::models::locks {

using nlohmann::json;

namespace {

std::optional<VestingSpec> read_vesting(SectionReader& r, const json& v, const std::string& pointer) {
  const std::size_t errors_before = r.error_count();
  if (!r.object(v, pointer, {"population", "amount", "start_epoch", "cliff_epochs", "duration_epochs"},
                {"population", "amount", "duration_epochs"}))
    return std::nullopt;
  VestingSpec spec;
  if (const auto name = v.find("population"); name != v.end()) {
    if (name->is_string() && !name->get_ref<const std::string&>().empty())
      spec.population = name->get<std::string>();
    else
      r.expected(SectionReader::child(pointer, "population"), "a population name", *name);
  }
  r.read_key(v, pointer, "amount", spec.amount);
  r.read_key(v, pointer, "start_epoch", spec.start_epoch, {0, max_scenario_epochs});
  r.read_key(v, pointer, "cliff_epochs", spec.cliff_epochs, {0, max_scenario_epochs});
  r.read_key(v, pointer, "duration_epochs", spec.duration_epochs, {0, max_scenario_epochs});
  if (r.error_count() != errors_before ||
      !r.not_above(pointer, "cliff_epochs", spec.cliff_epochs, "duration_epochs", spec.duration_epochs))
    return std::nullopt;
  return spec;
}

std::optional<VoteEscrowSpec> read_vote_escrow(SectionReader& r, const json& v, const std::string& pointer) {
  const std::size_t errors_before = r.error_count();
  if (!r.object(v, pointer, {"max_lock_epochs", "lock_share", "lock_epochs"})) return std::nullopt;
  VoteEscrowSpec spec;
  r.read_key(v, pointer, "max_lock_epochs", spec.max_lock_epochs, {1, max_scenario_epochs});
  r.read_key(v, pointer, "lock_share", spec.lock_share, {0.0, 1.0});
  r.read_key(v, pointer, "lock_epochs", spec.lock_epochs, {1, max_scenario_epochs});
  if (r.error_count() != errors_before ||
      !r.not_above(pointer, "lock_epochs", spec.lock_epochs, "max_lock_epochs", spec.max_lock_epochs))
    return std::nullopt;
  return spec;
}

}  // namespace

LocksConfig read_locks(const json& section, const std::string& file, const std::string& pointer, unsigned decimals) {
  SectionReader r(file, decimals);
  LocksConfig config;
  if (r.object(section, pointer, {"vesting", "vote_escrow"})) {
    r.read_array(section, pointer, "vesting", "an array of vesting grants", config.vesting, read_vesting);
    if (const auto escrow = section.find("vote_escrow"); escrow != section.end())
      config.vote_escrow = read_vote_escrow(r, *escrow, SectionReader::child(pointer, "vote_escrow"));
  }
  r.finish();
  return config;
}

}  // namespace dais::models::locks

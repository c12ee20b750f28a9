// The golden test: a tiny scenario whose output bytes and run fingerprints are pinned in
// tests/e2e/golden/expected/. A deliberate change of behaviour regenerates them with
//   DAIS_UPDATE_GOLDEN=1 build/release/tests/e2e/test_e2e "[golden]"
// and the diff of the expected files is reviewed like code.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/e2e/cli_support.hpp"

namespace fs = std::filesystem;

TEST_CASE("the golden scenario reproduces its pinned CSV bytes and fingerprints", "[e2e][golden]") {
  const fs::path golden = fs::path(DAIS_SOURCE_DIR) / "tests/e2e/golden";
  const fs::path dir = dais::test::scratch_dir("golden");
  const auto r = dais::test::run_dais({"run", "tests/e2e/golden/golden.json", "--out", dir.string(), "--quiet"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto manifest = nlohmann::json::parse(dais::io::read_file(dir / "manifest.json"));
  const std::string fingerprints = manifest["fingerprints"].dump() + "\n";
  const bool update = std::getenv("DAIS_UPDATE_GOLDEN") != nullptr;
  for (const char* f : {"runs.csv", "epochs.csv", "agents.csv", "transfers.csv"}) {
    INFO(f);
    const std::string actual = dais::io::read_file(dir / f);
    if (update) dais::io::write_file_atomically(golden / "expected" / f, actual);
    CHECK(actual == dais::io::read_file(golden / "expected" / f));
  }
  if (update) dais::io::write_file_atomically(golden / "expected/fingerprints.json", fingerprints);
  CHECK(fingerprints == dais::io::read_file(golden / "expected/fingerprints.json"));
  fs::remove_all(dir);
}

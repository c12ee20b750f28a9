#include <catch2/catch.hpp>

#include <filesystem>

#include "sim/io/atomic_file.hpp"
#include "sim/io/manifest.hpp"
#include "tests/scratch_dir.hpp"

namespace fs = std::filesystem;

namespace {

using dais::test::scratch_dir;

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

}  // namespace

TEST_CASE("an atomic write leaves exactly the target file with the content", "[io][atomic]") {
  const fs::path dir = scratch_dir("write");
  dais::io::write_file_atomically(dir / "out.csv", "a,b\n1,2\n");
  CHECK(dais::io::read_file(dir / "out.csv") == "a,b\n1,2\n");
  CHECK(entries(dir) == 1);
  dais::io::write_file_atomically(dir / "out.csv", "replaced\n");
  CHECK(dais::io::read_file(dir / "out.csv") == "replaced\n");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("an abandoned atomic file leaves neither the target nor a temporary", "[io][atomic]") {
  const fs::path dir = scratch_dir("abandon");
  {
    dais::io::AtomicFile f(dir / "out.csv");
    f.write("partial");
    CHECK(fs::exists(f.temporary_path()));
    CHECK_FALSE(fs::exists(dir / "out.csv"));
  }
  CHECK(entries(dir) == 0);
  fs::remove_all(dir);
}

TEST_CASE("a file written back to disk along the way commits whole", "[io][atomic]") {
  const fs::path dir = scratch_dir("writeback");
  {
    dais::io::AtomicFile f(dir / "out.csv");
    f.write("a,b\n");
    f.start_writeback();
    CHECK_FALSE(fs::exists(dir / "out.csv"));
    f.write("1,2\n");
    f.commit();
  }
  CHECK(dais::io::read_file(dir / "out.csv") == "a,b\n1,2\n");
  CHECK(entries(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("an existing file is untouched until the new one is committed", "[io][atomic]") {
  const fs::path dir = scratch_dir("keep");
  dais::io::write_file_atomically(dir / "out.csv", "old\n");
  {
    dais::io::AtomicFile f(dir / "out.csv");
    f.write("new\n");
    CHECK(dais::io::read_file(dir / "out.csv") == "old\n");
  }
  CHECK(dais::io::read_file(dir / "out.csv") == "old\n");
  fs::remove_all(dir);
}

TEST_CASE("writing into a missing folder fails with the path in the message", "[io][atomic]") {
  const fs::path target = fs::temp_directory_path() / "dais_no_such_dir_for_test" / "x.csv";
  try {
    dais::io::write_file_atomically(target, "x");
    FAIL("expected IoError");
  } catch (const dais::io::IoError& e) {
    CHECK_THAT(e.what(), Catch::Contains("dais_no_such_dir_for_test"));
  }
  CHECK_THROWS_AS(dais::io::read_file(target), dais::io::IoError);
}

TEST_CASE("manifest helpers give stable hashes and UTC timestamps", "[io][manifest]") {
  CHECK(dais::io::content_hash("") == "cbf29ce484222325");
  CHECK(dais::io::content_hash("a") == "af63dc4c8601ec8c");
  CHECK(dais::io::iso8601_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(dais::io::iso8601_utc(1764049192) == "2025-11-25T05:39:52Z");
  const auto info = dais::io::build_info();
  CHECK_FALSE(info.version.empty());
}

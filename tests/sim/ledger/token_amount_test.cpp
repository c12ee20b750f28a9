#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include "amount_strings.hpp"
#include "sim/ledger/token_amount.hpp"

using dais::u128;
using dais::ledger::AmountError;
using dais::ledger::pow10_u128;
using dais::ledger::TokenAmount;
using dais::ledger::u128_to_string;

namespace {

constexpr u128 kE18 = 1'000'000'000'000'000'000ULL;
constexpr u128 kE19 = 10'000'000'000'000'000'000ULL;
constexpr u128 kMax = ~u128{0};  // 2^128 - 1 = 340282366920938463463374607431768211455

TokenAmount units(u128 v) { return TokenAmount::from_base_units(v); }

// The parse result in base units, or nullopt; `reason` receives the error text.
std::optional<u128> parse(std::string_view text, unsigned decimals, std::string* reason = nullptr) {
  const auto parsed = TokenAmount::parse_decimal(text, decimals, reason);
  if (!parsed) return std::nullopt;
  return parsed->base_units();
}

std::string rejection(std::string_view text, unsigned decimals) {
  std::string reason;
  const auto parsed = TokenAmount::parse_decimal(text, decimals, &reason);
  if (parsed) return "accepted as " + u128_to_string(parsed->base_units());
  return reason;
}

}  // namespace

TEST_CASE("parse_decimal reads whole numbers and fractions exactly", "[ledger][amount]") {
  CHECK(parse("0", 18) == u128{0});
  CHECK(parse("0", 0) == u128{0});
  CHECK(parse("1", 18) == kE18);
  CHECK(parse("1.5", 18) == kE18 + kE18 / 2);
  CHECK(parse("1.5", 1) == u128{15});
  CHECK(parse("12.25", 2) == u128{1225});
  CHECK(parse("7", 0) == u128{7});
  CHECK(parse("0.5", 1) == u128{5});
  CHECK(parse("0.0", 1) == u128{0});
  CHECK(parse("007.50", 2) == u128{750});  // leading zeros are digits like any other
  CHECK(parse("1000", 3) == u128{1'000'000});
}

TEST_CASE("parse_decimal keeps all 18 decimals of an 18-decimal token", "[ledger][amount]") {
  CHECK(parse("0.000000000000000001", 18) == u128{1});
  CHECK(parse("0.123456789012345678", 18) == u128{123'456'789'012'345'678ULL});
  CHECK(parse("1000000.000000000000000001", 18) == u128{1'000'000} * kE18 + 1);
  CHECK(parse("999999999999.999999999999999999", 18) == u128{1'000'000'000'000ULL} * kE18 - 1);
  // Fewer decimals than the token has are padded with zeros.
  CHECK(parse("2.5", 18) == u128{25} * kE18 / 10);
}

TEST_CASE("parse_decimal reaches exactly 2^128 - 1 and no further", "[ledger][amount]") {
  CHECK(parse("340282366920938463463374607431768211455", 0) == kMax);
  CHECK(parse("340282366920938463463.374607431768211455", 18) == kMax);
  CHECK(parse("34028236692093846346337460743176821145.5", 1) == kMax);

  std::string reason;
  CHECK_FALSE(parse("340282366920938463463374607431768211456", 0, &reason));
  CHECK(reason == "too large for 128 bits");
  CHECK(rejection("340282366920938463463.374607431768211456", 18) == "too large for 128 bits");
  // Overflow found while padding the missing decimals with zeros.
  CHECK(rejection("340282366920938463464", 18) == "too large for 128 bits");
  CHECK(rejection("340282366920938463463.4", 18) == "too large for 128 bits");
  CHECK(rejection("1000000000000000000000000000000000000000", 0) == "too large for 128 bits");
  CHECK(rejection("99999999999999999999999999999999999999999999999999", 0) == "too large for 128 bits");
}

TEST_CASE("parse_decimal rejects malformed text, each with its reason", "[ledger][amount]") {
  CHECK(rejection("", 18) == "empty");
  CHECK(rejection(".5", 18) == "no digit before the decimal point");
  CHECK(rejection(".", 18) == "no digit before the decimal point");
  CHECK(rejection("5.", 18) == "no digit after the decimal point");
  CHECK(rejection("1.2.3", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("1..2", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("-1", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("+1", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("1e5", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection(" 1", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("1 ", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("1,5", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("0x10", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("1.-5", 18) == "only digits and one decimal point are allowed");
  CHECK(rejection("0.1234567890123456789", 18) == "more decimal places than the token has");
  CHECK(rejection("1.50", 1) == "more decimal places than the token has");
  CHECK(rejection("1.0", 0) == "more decimal places than the token has");
}

TEST_CASE("parse_decimal without an error string still rejects", "[ledger][amount]") {
  CHECK_FALSE(TokenAmount::parse_decimal("abc", 18));
  CHECK_FALSE(TokenAmount::parse_decimal("", 18));
  CHECK(TokenAmount::parse_decimal("3", 2) == units(300));
}

TEST_CASE("to_decimal trims trailing zeros and the point when nothing follows it", "[ledger][amount]") {
  CHECK(units(0).to_decimal(18) == "0");
  CHECK(units(0).to_decimal(0) == "0");
  CHECK(units(1).to_decimal(18) == "0.000000000000000001");
  CHECK(units(kE18).to_decimal(18) == "1");
  CHECK(units(kE18 * 12 + kE18 / 2).to_decimal(18) == "12.5");
  CHECK(units(kE18 / 10).to_decimal(18) == "0.1");
  CHECK(units(120).to_decimal(1) == "12");
  CHECK(units(105).to_decimal(2) == "1.05");
  CHECK(units(100).to_decimal(2) == "1");
  CHECK(units(10).to_decimal(2) == "0.1");
  CHECK(units(1000).to_decimal(2) == "10");
  CHECK(units(u128{1'000'000} * kE18 + 1).to_decimal(18) == "1000000.000000000000000001");
  CHECK(units(kMax).to_decimal(18) == "340282366920938463463.374607431768211455");
  CHECK(units(kMax).to_decimal(38) == "3.40282366920938463463374607431768211455");
  CHECK(units(kMax).to_decimal(39) == "0.340282366920938463463374607431768211455");
  CHECK(units(5).to_decimal(30) == "0.000000000000000000000000000005");
}

TEST_CASE("to_decimal with no decimals is the plain integer", "[ledger][amount]") {
  CHECK(units(12345).to_decimal(0) == "12345");
  CHECK(units(1000).to_decimal(0) == "1000");  // trailing zeros of an integer are kept
  CHECK(units(kMax).to_decimal(0) == "340282366920938463463374607431768211455");
}

TEST_CASE("whole_tokens scales by 10^decimals and refuses what does not fit", "[ledger][amount]") {
  CHECK(TokenAmount::whole_tokens(3, 18).base_units() == 3 * kE18);
  CHECK(TokenAmount::whole_tokens(0, 18).is_zero());
  CHECK(TokenAmount::whole_tokens(42, 0).base_units() == 42);
  CHECK(TokenAmount::whole_tokens(1, 38).base_units() == kE19 * kE19);
  // 3 * 10^38 < 2^128 (3.4 * 10^38) < 4 * 10^38.
  CHECK(TokenAmount::whole_tokens(3, 38).base_units() == 3 * kE19 * kE19);
  CHECK_THROWS_AS(TokenAmount::whole_tokens(4, 38), AmountError);
  // (2^64 - 1) * 10^19 is about 1.8 * 10^38 and fits; * 10^20 does not.
  constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
  CHECK(TokenAmount::whole_tokens(u64_max, 19).base_units() == u128{u64_max} * kE19);
  CHECK_THROWS_AS(TokenAmount::whole_tokens(u64_max, 20), AmountError);
  CHECK_THROWS_AS(TokenAmount::whole_tokens(1, 39), AmountError);
}

TEST_CASE("checked addition and subtraction throw AmountError instead of wrapping", "[ledger][amount]") {
  CHECK((units(2) + units(3)).base_units() == 5);
  CHECK((units(5) - units(3)).base_units() == 2);
  CHECK((units(5) - units(5)).is_zero());
  CHECK((units(kMax - 1) + units(1)).base_units() == kMax);
  CHECK_THROWS_AS(units(kMax) + units(1), AmountError);
  CHECK_THROWS_AS(units(kMax / 2 + 1) + units(kMax / 2 + 1), AmountError);
  CHECK_THROWS_AS(units(0) - units(1), AmountError);
  CHECK_THROWS_AS(units(3) - units(5), AmountError);

  TokenAmount a = units(10);
  a += units(5);
  CHECK(a == units(15));
  a -= units(15);
  CHECK(a.is_zero());
}

TEST_CASE("a failed += or -= leaves its operand unchanged", "[ledger][amount]") {
  TokenAmount big = units(kMax);
  CHECK_THROWS_AS(big += units(1), AmountError);
  CHECK(big == units(kMax));  // "never wrap": not 0

  TokenAmount half = units(kMax / 2 + 7);
  CHECK_THROWS_AS(half += units(kMax / 2 + 7), AmountError);
  CHECK(half == units(kMax / 2 + 7));

  TokenAmount small = units(3);
  CHECK_THROWS_AS(small -= units(4), AmountError);
  CHECK(small == units(3));
}

TEST_CASE("token amounts compare by their base units", "[ledger][amount]") {
  CHECK(units(1) < units(2));
  CHECK(units(kMax) > units(kMax - 1));
  CHECK(units(7) == units(7));
  CHECK(TokenAmount{}.is_zero());
  CHECK(TokenAmount{} == units(0));
}

TEST_CASE("to_tokens converts to the nearest double in whole tokens", "[ledger][amount]") {
  CHECK(units(0).to_tokens(18) == 0.0);
  CHECK(units(kE18 + kE18 / 2).to_tokens(18) == 1.5);
  CHECK(units(1).to_tokens(18) == 1e-18);
  CHECK(units(25).to_tokens(1) == 2.5);
  CHECK(units(12345).to_tokens(0) == 12345.0);
  CHECK(units(3 * kE18 / 4).to_tokens(18) == 0.75);
  // 12345.678901234567890123 tokens: the fraction keeps its digits despite the large whole part.
  CHECK(units(u128{12345} * kE18 + 678'901'234'567'890'123ULL).to_tokens(18) ==
        Approx(12345.678901234567890123).epsilon(1e-15));
  CHECK(units(kMax).to_tokens(18) == Approx(340282366920938463463.374607431768211455).epsilon(1e-15));
  CHECK(units(kMax).to_tokens(0) == Approx(3.402823669209384634633746e38).epsilon(1e-15));
}

TEST_CASE("u128_to_string writes every digit, from 0 to 2^128 - 1", "[ledger][amount]") {
  CHECK(u128_to_string(0) == "0");
  CHECK(u128_to_string(7) == "7");
  CHECK(u128_to_string(10) == "10");
  CHECK(u128_to_string(kE19) == "10000000000000000000");
  CHECK(u128_to_string(u128{1} << 64) == "18446744073709551616");
  CHECK(u128_to_string(kMax) == "340282366920938463463374607431768211455");
  CHECK(u128_to_string(kE19 * kE19) == "100000000000000000000000000000000000000");

  std::mt19937_64 rng(11);
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t v = rng() >> (rng() % 64);
    CHECK(u128_to_string(v) == std::to_string(v));
  }
}

TEST_CASE("pow10_u128 gives 10^0 through 10^38 and refuses 10^39", "[ledger][amount]") {
  CHECK(pow10_u128(0) == u128{1});
  CHECK(pow10_u128(1) == u128{10});
  CHECK(pow10_u128(18) == kE18);
  CHECK(pow10_u128(19) == kE19);
  CHECK(pow10_u128(38) == kE19 * kE19);
  u128 p = 1;
  for (unsigned d = 0; d <= 38; ++d) {
    CHECK(pow10_u128(d) == p);
    p *= 10;
  }
  CHECK_THROWS_AS(pow10_u128(39), AmountError);
  CHECK_THROWS_AS(pow10_u128(1000), AmountError);
}

TEST_CASE("property: to_decimal then parse_decimal gives back every amount", "[ledger][amount]") {
  std::mt19937_64 rng(20240607);
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    // Every magnitude, from 0 to 2^128 - 1.
    const u128 raw = (u128{rng()} << 64) | rng();
    const unsigned shift = static_cast<unsigned>(rng() % 129);
    const u128 x = shift == 128 ? u128{0} : raw >> shift;
    const unsigned decimals = static_cast<unsigned>(rng() % 31);
    const std::string text = units(x).to_decimal(decimals);

    const std::size_t dot = text.find('.');
    const bool well_formed =
        !text.empty() && text.find_first_not_of("0123456789.") == std::string::npos &&
        (text.size() == 1 || text[0] != '0' || dot == 1) &&                     // no leading zeros
        (dot == std::string::npos || (text.back() != '0' && text.size() - dot - 1 <= decimals));
    std::string reason;
    const auto back = TokenAmount::parse_decimal(text, decimals, &reason);
    if (!well_formed || !back || back->base_units() != x) {
      FAIL_CHECK("x = " << u128_to_string(x) << ", decimals = " << decimals << ": to_decimal gave \"" << text
                        << "\", parsed back as "
                        << (back ? u128_to_string(back->base_units()) : "nothing (" + reason + ")"));
    } else {
      ++checked;
    }
  }
  CHECK(checked == 20000);
}

TEST_CASE("property: to_decimal agrees with whole and fractional parts computed apart", "[ledger][amount]") {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t x = rng() >> (rng() % 64);
    const unsigned decimals = static_cast<unsigned>(rng() % 20);
    std::uint64_t scale = 1;
    for (unsigned d = 0; d < decimals; ++d) scale *= 10;
    std::string expected = std::to_string(x / scale);
    if (decimals > 0) {
      std::string fraction = std::to_string(x % scale);
      fraction.insert(0, decimals - fraction.size(), '0');
      while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
      if (!fraction.empty()) expected += "." + fraction;
    }
    REQUIRE(units(x).to_decimal(decimals) == expected);
  }
}

#pragma once
// Lets Catch print token amounts and 128-bit integers in failure messages (as base units).

#include <catch2/catch.hpp>

#include <string>

#include "sim/ledger/token_amount.hpp"

namespace Catch {

template <>
struct StringMaker<dais::u128> {
  static std::string convert(dais::u128 value) { return dais::ledger::u128_to_string(value); }
};

template <>
struct StringMaker<dais::ledger::TokenAmount> {
  static std::string convert(dais::ledger::TokenAmount value) {
    return dais::ledger::u128_to_string(value.base_units()) + " base units";
  }
};

}  // namespace Catch

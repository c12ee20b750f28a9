#pragma once
// 128-bit unsigned integers (GCC/Clang): token amounts and exact products need them. __extension__ keeps
// -Wpedantic quiet about the non-standard type in this one place.

namespace dais {

__extension__ typedef unsigned __int128 u128;

}  // namespace dais

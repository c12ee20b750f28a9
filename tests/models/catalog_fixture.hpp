#pragma once
// The built-in model catalog, built once per test program.

#include "models/catalog.hpp"

namespace dais::test {

inline const models::ModelCatalog& builtin_catalog() {
  static const models::ModelCatalog catalog = [] {
    models::ModelCatalog m;
    models::register_builtin_models(m);
    return m;
  }();
  return catalog;
}

}  // namespace dais::test

#pragma once
// A sum in four interleaved running sums, added up at the end in a fixed order. The compiler vectorizes it at
// any width (two SSE2 registers or one AVX2 register hold the same four lanes), so the sum has the same bits on
// every x86-64 processor and in every build; an `omp simd` reduction would add in as many lanes as the vector
// is wide. Four independent chains also run four times as fast as one where the adds' latency bounds a loop.

namespace dais::core {

// Sums term(i) over [0, n). term may store as it goes.
template <class Index, class Term>
[[gnu::always_inline]] inline double lane_sum(Index n, Term term) {
  double lane[4] = {0.0, 0.0, 0.0, 0.0};
  Index i = 0;
  for (; i + 4 <= n; i += 4)
    for (int l = 0; l < 4; ++l) lane[l] += term(i + l);
  for (int l = 0; i < n; ++i, ++l) lane[l] += term(i);
  return (lane[0] + lane[2]) + (lane[1] + lane[3]);
}

}  // namespace dais::core

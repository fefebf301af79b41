//===- XnorGemmGenerator.cpp - XNOR-popcount GEMM ukernel -------*- C++ -*-===//
//
// Halide generator for `qc_xnor_gemm_u32`, the CPU ukernel behind binary
// (1-bit weight, 1-bit activation) matrix products and im2col convolutions.
// It runs at build time only; the library it emits is what qc links.
//
// Operands are bit-packed as in REFERENCE §2 (Larq Compute Engine's
// convention): element i of a row is bit (i % 32) of word (i / 32), bit 1
// means -1 and bit 0 means +1, and the bits past the last real element are 0
// in both operands. For rows of k real elements the +-1 dot product is then
//   sum_i a_i * w_i = k - 2 * sum_j popcount(a_j XOR w_j),
// because every disagreeing bit contributes -1 instead of +1 and the zero
// tail bits always agree, so they cancel out of the popcount.
//
//===----------------------------------------------------------------------===//

#include "Halide.h"

namespace {

using namespace Halide;

/// Computes out(n, m) = k - 2 * sum_j popcount(a(j, m) ^ w(j, n)), i.e. the
/// +-1 dot product of activation row m with weight row n.
///
/// Buffers are indexed innermost dimension first (Halide's convention), so
/// in C terms `a` is uint32[M][Kw], `w` is uint32[N][Kw] and `out` is
/// int32[M][N]. All minimums must be 0 and all innermost strides 1; `w` must
/// have as many words per row as `a`, and `out` must be exactly N x M. Rows
/// may carry more than ceil(k / 32) words as long as the extra words are zero
/// in both operands; k must be in [1, 32 * Kw]. A violated requirement makes
/// the call return a nonzero halide_error_code_t without writing `out`.
class XnorGemmGenerator : public Generator<XnorGemmGenerator> {
public:
  /// Packed activations, (word, row m).
  Input<Buffer<uint32_t>> a{"a", 2};
  /// Packed weights, (word, row n).
  Input<Buffer<uint32_t>> w{"w", 2};
  /// Number of real (unpacked) elements per row.
  Input<int32_t> k{"k"};
  /// +-1 dot products, (n, m).
  Output<Buffer<int32_t>> out{"out", 2};

  void generate() {
    Expr numWords = a.dim(0).extent();
    Expr numM = a.dim(1).extent();
    Expr numN = w.dim(1).extent();

    a.dim(0).set_min(0);
    a.dim(1).set_min(0);
    w.dim(0).set_min(0).set_extent(numWords);
    w.dim(1).set_min(0);

    // Checked once per call, before any output is written.
    checkedK() = require(k >= 1 && k <= 32 * numWords, k,
                         "qc_xnor_gemm_u32: k must be in [1, 32 * words per "
                         "row]; k =",
                         k, "words per row =", numWords);

    // Register tiles may overhang the last rows of M and N; clamping the row
    // index keeps their (discarded) loads in bounds.
    aRows(j, m) = a(j, clamp(m, 0, numM - 1));
    // The weights repacked into panels of tileN() rows of `w`, stored (n
    // within the panel, word, panel), so that the tileN() weights a register
    // tile needs for one word are a single contiguous run. Reading them from
    // `w` directly would be a gather, and even a plain transpose to (n, word)
    // makes each tile stride through memory by N words per word, which
    // thrashes L1 (1.6x slower for N = 256). This costs N * Kw copies per
    // call against M * N * Kw XOR-popcounts of the product itself.
    Expr panelN = tileN();
    wPanels(ni, j, no) = w(j, clamp(no * panelN + ni, 0, numN - 1));

    r = RDom(0, numWords, "r");
    mismatches(n, m) = 0;
    mismatches(n, m) += cast<int32_t>(
        popcount(aRows(r, m) ^ wPanels(n % panelN, r, n / panelN)));

    out(n, m) = checkedK() - 2 * mismatches(n, m);
    out.dim(0).set_min(0).set_extent(numN);
    out.dim(1).set_min(0).set_extent(numM);
  }

  void schedule() {
    // Each tile keeps tileM x tileN accumulators in registers (8 vectors)
    // while the reduction over words runs innermost; vectors run over n, so
    // every word of a row of `a` is broadcast once per tile.
    const int vec = natural_vector_size<int32_t>();
    const int tileN = this->tileN();
    const int tileM = 4;
    Var mo("mo"), mi("mi");

    checkedK.compute_root();
    wPanels.compute_root().parallel(no);

    // GuardWithIf keeps the output exact for any M and N (even below a tile):
    // edge tiles store only their valid rows and lanes.
    out.split(n, no, ni, tileN, TailStrategy::GuardWithIf)
        .split(m, mo, mi, tileM, TailStrategy::GuardWithIf)
        .reorder(ni, mi, no, mo)
        .vectorize(ni, vec)
        .unroll(mi)
        .parallel(mo);

    // A full-size tile is computed even at the edges so that its loops have
    // constant extents and can be vectorized and unrolled.
    Var nv("nv");
    mismatches.compute_at(out, no)
        .bound_extent(n, tileN)
        .bound_extent(m, tileM)
        .vectorize(n, vec)
        .unroll(m);
    mismatches.update()
        .reorder(n, m, r)
        .split(n, n, nv, vec)
        .vectorize(nv)
        .unroll(n)
        .unroll(m);
  }

private:
  /// Columns of `out` per register tile: two vectors.
  int tileN() const { return 2 * natural_vector_size<int32_t>(); }

  Var n{"n"}, m{"m"}, j{"j"}, ni{"ni"}, no{"no"};
  /// Runs over the words of a row.
  RDom r;
  Func checkedK{"checked_k"};
  Func aRows{"a_rows"};
  Func wPanels{"w_panels"};
  Func mismatches{"mismatches"};
};

} // namespace

HALIDE_REGISTER_GENERATOR(XnorGemmGenerator, qc_xnor_gemm_u32)

//===- ConvAmx.cpp - The integer convolution on AMX-INT8 tiles ------------===//
//
// Implements ConvAmx.h. One task's tile work: for each panel of 32 filters,
// output row and block of up to 16 output pixels, two accumulator tiles
// (16 pixels x 16 filters of int32 each) are zeroed, then for every tap
// (ky, kx) and every 16 blocks of 4 channels an input tile (one row per
// pixel: 64 bytes of the narrowed row, strideW pixels apart) is multiplied
// with two weight tiles (16 blocks x 16 filters x 4 channels, read from the
// panel at a row stride of 32 filters x 4 bytes) by TDPBUSD. Channels that
// do not fill 16 blocks use a second triple of tiles configured with fewer
// bytes (input) and rows (weights). The sums go through the VNNI route's
// store, which adds the offset's term and applies the epilogue.
//
// A configuration fixes the rows of the input and accumulator tiles, so the
// blocks of 16 pixels run first and the last, shorter block of each row
// after them under a second configuration: LDTILECFG zeroes the tiles, and
// it is loaded only between blocks.
//
// Only runHardware and the HardwareTiles operations are built for AMX
// (the rest of the runtime is baseline x86-64); they run only when
// qc_rt_amx_usable() says the CPU has the tiles and the OS granted them.
//
//===----------------------------------------------------------------------===//

#include "runtime/ConvAmx.h"

#include <immintrin.h>
#include <string.h>

#define QC_TARGET_AMX __attribute__((target("amx-tile,amx-int8")))

using namespace mlir::qc;

namespace {

/// The tiles: the sums of filters 0-15 and 16-31 of a panel, an input and
/// two weight tiles for 16 blocks of 4 channels, and the same for the
/// blocks left over.
enum Tile : int {
  kSums0 = 0,
  kSums1 = 1,
  kInput = 2,
  kWeights0 = 3,
  kWeights1 = 4,
  kInputTail = 5,
  kWeightsTail0 = 6,
  kWeightsTail1 = 7,
};

/// Pixels (tile rows), filters (int32 columns) and blocks of 4 channels
/// (64 bytes) per tile at most.
constexpr int64_t kTilePixels = 16, kTileFilters = 16, kTileBlocks = 16;
/// Filters per weight panel, and the bytes of one block of a panel (32
/// filters x 4 channels): the weight tiles' row stride.
constexpr int64_t kPanelFilters = 32, kPanelBlockBytes = kPanelFilters * 4;
/// Bytes per tile row when it is full.
constexpr int kFullRow = 64;

/// One TILEZERO/TILELOADD/TILESTORED per tile number: GCC's _tile_* macros
/// paste their tile argument into the assembly text, so each tile is
/// spelled as a literal (clang takes constants either way).
#define QC_FOR_TILE(T, OP)                                                     \
  if constexpr (T == 0)                                                        \
    OP(0);                                                                     \
  else if constexpr (T == 1)                                                   \
    OP(1);                                                                     \
  else if constexpr (T == 2)                                                   \
    OP(2);                                                                     \
  else if constexpr (T == 3)                                                   \
    OP(3);                                                                     \
  else if constexpr (T == 4)                                                   \
    OP(4);                                                                     \
  else if constexpr (T == 5)                                                   \
    OP(5);                                                                     \
  else if constexpr (T == 6)                                                   \
    OP(6);                                                                     \
  else                                                                         \
    OP(7);

/// The tile operations as AMX instructions, one intrinsic each.
struct HardwareTiles {
  QC_TARGET_AMX void loadConfig(const AmxTileConfig &config) {
    // GCC's _tile_loadconfig names only the operand's first 8 bytes as
    // read; the barrier keeps the stores to the other 56.
    __asm__ volatile("" : : "r"(&config) : "memory");
    _tile_loadconfig(&config);
  }
  template <int T> QC_TARGET_AMX void load(const void *base, int64_t stride) {
#define QC_TILE_LOAD(n) _tile_loadd(n, base, stride)
    QC_FOR_TILE(T, QC_TILE_LOAD)
#undef QC_TILE_LOAD
  }
  template <int T> QC_TARGET_AMX void store(void *base, int64_t stride) {
#define QC_TILE_STORE(n) _tile_stored(n, base, stride)
    QC_FOR_TILE(T, QC_TILE_STORE)
#undef QC_TILE_STORE
  }
  template <int T> QC_TARGET_AMX void zero() {
#define QC_TILE_ZERO(n) _tile_zero(n)
    QC_FOR_TILE(T, QC_TILE_ZERO)
#undef QC_TILE_ZERO
  }
  /// The four products the routine forms.
  template <int C, int A, int B> QC_TARGET_AMX void dpbusd() {
    static_assert(kSums0 == 0 && kSums1 == 1 && kInput == 2 && kWeights0 == 3 &&
                      kWeights1 == 4 && kInputTail == 5 && kWeightsTail0 == 6 &&
                      kWeightsTail1 == 7,
                  "the literals below name these tiles");
    if constexpr (C == kSums0 && A == kInput && B == kWeights0)
      _tile_dpbusd(0, 2, 3);
    else if constexpr (C == kSums1 && A == kInput && B == kWeights1)
      _tile_dpbusd(1, 2, 4);
    else if constexpr (C == kSums0 && A == kInputTail && B == kWeightsTail0)
      _tile_dpbusd(0, 5, 6);
    else if constexpr (C == kSums1 && A == kInputTail && B == kWeightsTail1)
      _tile_dpbusd(1, 5, 7);
    else
      static_assert(C < 0, "no TDPBUSD spelled for these tiles");
  }
  QC_TARGET_AMX void release() { _tile_release(); }
};

#undef QC_FOR_TILE

/// The same operations on the emulator.
struct EmulatedTiles {
  AmxTileEmulator &tiles;

  void loadConfig(const AmxTileConfig &config) { tiles.loadConfig(config); }
  template <int T> void load(const void *base, int64_t stride) {
    tiles.load(T, base, stride);
  }
  template <int T> void store(void *base, int64_t stride) {
    tiles.store(T, base, stride);
  }
  template <int T> void zero() { tiles.zero(T); }
  template <int C, int A, int B> void dpbusd() { tiles.dpbusd(C, A, B); }
  void release() { tiles.release(); }
};

/// The shapes for blocks of `pixels` pixels over `blocks` blocks of 4
/// channels: the full-K triple when there are 16 blocks or more, the tail
/// triple when blocks % 16 is not zero (unused tiles stay unconfigured).
AmxTileConfig makeConfig(int64_t pixels, int64_t blocks) {
  AmxTileConfig config;
  config.palette = 1;
  auto set = [&](Tile tile, int64_t rows, int64_t bytes) {
    config.rows[tile] = static_cast<uint8_t>(rows);
    config.colsb[tile] = static_cast<uint16_t>(bytes);
  };
  set(kSums0, pixels, kFullRow);
  set(kSums1, pixels, kFullRow);
  if (blocks >= kTileBlocks) {
    set(kInput, pixels, kFullRow);
    set(kWeights0, kTileBlocks, kFullRow);
    set(kWeights1, kTileBlocks, kFullRow);
  }
  if (int64_t tail = blocks % kTileBlocks) {
    set(kInputTail, pixels, tail * 4);
    set(kWeightsTail0, tail, kFullRow);
    set(kWeightsTail1, tail, kFullRow);
  }
  return config;
}

/// The task on `tiles`. Built for AMX so that HardwareTiles' operations
/// inline; with EmulatedTiles it executes no AMX instruction (compilers
/// emit those only for the intrinsics).
template <class Tiles>
QC_TARGET_AMX void runRows(Tiles &tiles, const AmxRowsTask &t) {
  const ConvU8S8Problem &p = *t.problem;
  const ConvGeometry &g = p.g;
  const int64_t c4 = p.blocks * 4, rowBytes = g.inSizes[2] * c4;
  const int64_t pixelStride = g.strideW * c4;
  const int64_t tapBytes = p.blocks * kPanelBlockBytes;
  const int64_t chunks = p.blocks / kTileBlocks, tail = p.blocks % kTileBlocks;
  const int64_t width = g.outSizes[2], filters = g.outSizes[3];
  const int64_t fullWidth = width / kTilePixels * kTilePixels;
  alignas(64) int32_t sums[kTilePixels][kPanelFilters];
  // Blocks of 16 pixels, then the blocks of width % 16.
  for (int pass = 0; pass < 2; ++pass) {
    const int64_t xBegin = pass == 0 ? 0 : fullWidth;
    const int64_t xEnd = pass == 0 ? fullWidth : width;
    const int64_t pixels = pass == 0 ? kTilePixels : width - fullWidth;
    if (xBegin == xEnd)
      continue;
    tiles.loadConfig(makeConfig(pixels, p.blocks));
    for (int64_t f = t.f0; f < t.f1; f += kPanelFilters) {
      // Panels of at most 16 real filters skip their second half.
      const bool upper = filters - f > kTileFilters;
      const int8_t *panel =
          p.weights + f / kPanelFilters * g.kernelH * g.kernelW * tapBytes;
      for (int64_t y = t.y0; y < t.y1; ++y) {
        const uint8_t *taps = t.rows + (y - t.y0) * g.strideH * rowBytes;
        int32_t *outRow =
            p.output + t.n * g.outStrides[0] + y * g.outStrides[1];
        for (int64_t x0 = xBegin; x0 < xEnd; x0 += pixels) {
          tiles.template zero<kSums0>();
          if (upper)
            tiles.template zero<kSums1>();
          for (int64_t ky = 0; ky < g.kernelH; ++ky)
            for (int64_t kx = 0; kx < g.kernelW; ++kx) {
              const uint8_t *a = taps + ky * g.dilationH * rowBytes +
                                 (x0 * g.strideW + kx * g.dilationW) * c4;
              const int8_t *w = panel + (ky * g.kernelW + kx) * tapBytes;
              for (int64_t k = 0; k < chunks; ++k) {
                const int8_t *wk = w + k * kTileBlocks * kPanelBlockBytes;
                tiles.template load<kInput>(a + k * kFullRow, pixelStride);
                tiles.template load<kWeights0>(wk, kPanelBlockBytes);
                tiles.template dpbusd<kSums0, kInput, kWeights0>();
                if (upper) {
                  tiles.template load<kWeights1>(wk + kFullRow,
                                                 kPanelBlockBytes);
                  tiles.template dpbusd<kSums1, kInput, kWeights1>();
                }
              }
              if (tail) {
                const int8_t *wk = w + chunks * kTileBlocks * kPanelBlockBytes;
                tiles.template load<kInputTail>(a + chunks * kFullRow,
                                                pixelStride);
                tiles.template load<kWeightsTail0>(wk, kPanelBlockBytes);
                tiles.template dpbusd<kSums0, kInputTail, kWeightsTail0>();
                if (upper) {
                  tiles.template load<kWeightsTail1>(wk + kFullRow,
                                                     kPanelBlockBytes);
                  tiles.template dpbusd<kSums1, kInputTail, kWeightsTail1>();
                }
              }
            }
          const int64_t sumsStride = sizeof sums[0];
          tiles.template store<kSums0>(&sums[0][0], sumsStride);
          if (upper)
            tiles.template store<kSums1>(&sums[0][kTileFilters], sumsStride);
          t.store(p, &sums[0][0], pixels, f, t.offset,
                  outRow + x0 * g.outStrides[2]);
        }
      }
    }
  }
  tiles.release();
}

QC_TARGET_AMX void runHardware(const AmxRowsTask &task) {
  HardwareTiles tiles;
  runRows(tiles, task);
}

/// What the CPU does on #GP or #UD: the process stops.
[[noreturn]] void fault() { __builtin_trap(); }

} // namespace

namespace mlir {
namespace qc {

void AmxTileEmulator::loadConfig(const AmxTileConfig &config) {
  if (config.palette == 0) {
    release();
    return;
  }
  // Palette 1 only; start_row is for restarting interrupted instructions,
  // which the emulator does not model.
  if (config.palette != 1 || config.startRow != 0)
    fault();
  for (uint8_t b : config.reserved0)
    if (b)
      fault();
  for (uint8_t b : config.reserved1)
    if (b)
      fault();
  for (uint8_t b : config.reserved2)
    if (b)
      fault();
  for (int t = 0; t < kTiles; ++t)
    if (config.rows[t] > kMaxRows || config.colsb[t] > kMaxRowBytes ||
        (config.rows[t] == 0) != (config.colsb[t] == 0))
      fault();
  release();
  configured = true;
  memcpy(rows, config.rows, sizeof rows);
  memcpy(colsb, config.colsb, sizeof colsb);
}

void AmxTileEmulator::check(int tile) const {
  if (!configured || tile < 0 || tile >= kTiles || rows[tile] == 0)
    fault();
}

void AmxTileEmulator::load(int tile, const void *base, int64_t stride) {
  check(tile);
  if (colsb[tile] % 4)
    fault();
  memset(data[tile], 0, sizeof data[tile]);
  for (int64_t r = 0; r < rows[tile]; ++r)
    memcpy(data[tile][r], static_cast<const uint8_t *>(base) + r * stride,
           colsb[tile]);
}

void AmxTileEmulator::store(int tile, void *base, int64_t stride) const {
  check(tile);
  if (colsb[tile] % 4)
    fault();
  for (int64_t r = 0; r < rows[tile]; ++r)
    memcpy(static_cast<uint8_t *>(base) + r * stride, data[tile][r],
           colsb[tile]);
}

void AmxTileEmulator::zero(int tile) {
  check(tile);
  memset(data[tile], 0, sizeof data[tile]);
}

void AmxTileEmulator::dpbusd(int c, int a, int b) {
  // C = M x N dwords, A = M x K dwords, B = K x N dwords.
  if (c == a || c == b || a == b)
    fault();
  check(c);
  check(a);
  check(b);
  if (colsb[c] % 4 || colsb[a] % 4 || colsb[b] % 4)
    fault();
  const int m = rows[c], n = colsb[c] / 4, k = colsb[a] / 4;
  constexpr int kMaxDwords = kMaxRowBytes / 4;
  if (colsb[b] != colsb[c] || rows[a] != m || rows[b] != k || n > kMaxDwords ||
      k > kMaxDwords)
    fault();
  for (int i = 0; i < m; ++i) {
    uint32_t acc[kMaxDwords] = {};
    memcpy(acc, data[c][i], 4 * n);
    for (int kk = 0; kk < k; ++kk)
      for (int j = 0; j < n; ++j) {
        int32_t dot = 0;
        for (int e = 0; e < 4; ++e)
          dot += int32_t(data[a][i][4 * kk + e]) *
                 int32_t(static_cast<int8_t>(data[b][kk][4 * j + e]));
        acc[j] += static_cast<uint32_t>(dot);
      }
    memset(data[c][i], 0, sizeof data[c][i]);
    memcpy(data[c][i], acc, 4 * n);
  }
  for (int i = m; i < kMaxRows; ++i)
    memset(data[c][i], 0, sizeof data[c][i]);
}

void AmxTileEmulator::release() {
  configured = false;
  memset(rows, 0, sizeof rows);
  memset(colsb, 0, sizeof colsb);
  memset(data, 0, sizeof data);
}

void runAmxRows(const AmxRowsTask &task, ConvU8S8Route route) {
  if (route == ConvU8S8Route::kAmx) {
    runHardware(task);
    return;
  }
  AmxTileEmulator emulator;
  EmulatedTiles tiles{emulator};
  runRows(tiles, task);
}

} // namespace qc
} // namespace mlir

//===- ConvAmx.h - The integer convolution on AMX-INT8 tiles ----*- C++ -*-===//
//
// The AMX-INT8 route of the integer convolution (ConvU8S8.h): for one task's
// narrowed input rows, tiles of 16 output pixels x 16 filters accumulate
// u8 x s8 dot products with TDPBUSD, reading the rows and the weight panels
// in place, and hand each block of sums to the VNNI route's store, so the
// int32 sums and the epilogue's bits are the same.
//
// The tile routine is written once against a small set of tile operations
// (load a configuration, load, multiply, store, zero, release) with two
// implementations: the intrinsics, which run only when qc_rt_amx_usable(),
// and AmxTileEmulator, an exact scalar model of the same instructions that
// tests run on any AVX512-VNNI CPU. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_CONVAMX_H
#define QC_RUNTIME_CONVAMX_H

#include "runtime/ConvU8S8.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// How convU8S8 computes its sums once a task's rows are narrowed.
enum class ConvU8S8Route : int32_t {
  /// vpdpbusd register tiles.
  kVnni = 0,
  /// AMX-INT8 tiles; taken only when qc_rt_amx_usable() (else kVnni).
  kAmx = 1,
  /// The AMX tile routine on AmxTileEmulator: for tests only, never
  /// chosen by convU8S8 itself.
  kAmxEmulated = 2,
};

/// convU8S8 on `route` (convU8S8 is this with kAmx when qc_rt_amx_usable(),
/// else kVnni). Defined in ConvU8S8.cpp; requires canRunConvU8S8.
void convU8S8WithRoute(const ConvU8S8Problem &problem, ConvU8S8Route route);

/// The 64-byte operand of LDTILECFG (palette 1: eight tiles of at most 16
/// rows of 64 bytes); reserved bytes zero.
struct alignas(64) AmxTileConfig {
  uint8_t palette = 0, startRow = 0;
  uint8_t reserved0[14] = {};
  /// Bytes per row of tiles 0 to 7.
  uint16_t colsb[8] = {};
  uint8_t reserved1[16] = {};
  /// Rows of tiles 0 to 7.
  uint8_t rows[8] = {};
  uint8_t reserved2[8] = {};
};
static_assert(sizeof(AmxTileConfig) == 64, "LDTILECFG reads 64 bytes");

/// The tile state of one thread, modelled on the documented semantics of
/// LDTILECFG, TILELOADD, TILESTORED, TILEZERO, TDPBUSD and TILERELEASE.
/// Where the hardware raises #GP or #UD (an invalid configuration, an
/// unconfigured tile, shapes that do not chain, operands that are not
/// distinct), the emulator traps, so a test fails as the CPU would.
class AmxTileEmulator {
public:
  /// Palette 1: tiles, rows per tile and bytes per row.
  static constexpr int kTiles = 8, kMaxRows = 16, kMaxRowBytes = 64;

  /// Palette 1 configures the tiles, palette 0 is TILERELEASE; every tile
  /// is zeroed.
  void loadConfig(const AmxTileConfig &config);
  /// Rows r < rows(tile) of colsb(tile) bytes from base + r * stride; the
  /// rest of the tile zero.
  void load(int tile, const void *base, int64_t stride);
  /// Rows r < rows(tile) of colsb(tile) bytes to base + r * stride.
  void store(int tile, void *base, int64_t stride) const;
  void zero(int tile);
  /// C[m][n] += sum over k < colsb(a) / 4, j < 4 of u8 A[m][4k + j] *
  /// s8 B[k][4n + j], wrapping in 32 bits, for m < rows(c), n < colsb(c) / 4;
  /// the rest of C zero.
  void dpbusd(int c, int a, int b);
  /// Back to the initial, unconfigured state.
  void release();

private:
  /// Traps unless `tile` is configured.
  void check(int tile) const;

  bool configured = false;
  uint8_t rows[kTiles] = {};
  uint16_t colsb[kTiles] = {};
  uint8_t data[kTiles][kMaxRows][kMaxRowBytes] = {};
};

/// Stores a block of sums as the VNNI route's tiles do: `sums` holds
/// `pixels` rows of 32 int32 (filters f0 to f0 + 31), to which offset *
/// sums[f] is added before the epilogue; `out` is the output at the
/// block's first pixel, filter 0.
using AmxStoreFn = void (*)(const ConvU8S8Problem &p, const int32_t *sums,
                            int64_t pixels, int64_t f0, int32_t offset,
                            int32_t *out);

/// One task of convU8S8 after narrowing: output rows [y0, y1) of image n,
/// filters [f0, f1) (f0 a multiple of 32), from `rows`, the narrowed input
/// rows from y0 * strideH on ([rows][W][CB * 4] bytes, zero padding
/// channels) with `offset` subtracted.
struct AmxRowsTask {
  const ConvU8S8Problem *problem;
  const uint8_t *rows;
  int64_t n, y0, y1, f0, f1;
  int32_t offset;
  AmxStoreFn store;
};

/// Computes `task` with AMX tiles (kAmx: requires qc_rt_amx_usable()) or
/// with the emulator (kAmxEmulated).
void runAmxRows(const AmxRowsTask &task, ConvU8S8Route route);

} // namespace qc
} // namespace mlir

#endif // QC_RUNTIME_CONVAMX_H

//===- CentroidConv.cpp - Per-centroid accumulation convolution -----------===//
//
// Implements CentroidConv.h. The vector lanes are output pixels (batch rows
// for the dense layer), one filter at a time, so that every lane adds its
// bucket's inputs in the reference's order and the kernel is bit-exact
// without any reassociation. Each call first transposes the NHWC input into
// a planar scratch copy, [C][Hp][Wp] per image: for a window offset p, the
// 16 pixels x..x+15 of a row then read 16 consecutive elements at p + x, one
// unaligned load. Rows are not handled one by one: lane q of a run stands
// for pixel (q / Wp, q % Wp) and reads planar element q + p, so a run spans
// several output rows (a small image is one run); the lanes of the columns
// past the output's width (the window overhangs the row's end there) are
// computed and dropped.
//
// With a stride above 1 along H or W the planar copy is split into stride
// phases, plane (rh, rw, c) holding input rows rh, rh + sH, ... and columns
// rw, rw + sW, ...: consecutive output pixels then read consecutive elements
// again, and the call rewrites the compiler's offsets for that layout once
// (a multiply-high division and a table lookup each). Stride 1 uses the
// offsets as they are.
//
// Blocks of up to 8 vectors (128 pixels) take every filter in turn
// (CentroidBlocks.cpp: AVX-512, or plain loops for AVX2 or baseline x86-64,
// as the CPU and the instruction-set cap allow). The dense layer transposes
// blocks of batch rows to [depth][lanes] (blocks narrow enough to stay in
// L1) and runs the same blocks.
//
// Work splits over the thread pool (RowTasks.h, groups of output rows of
// each image; batch-row blocks x filter ranges for the dense layer) unless
// it is small enough that waking the pool would cost more than it saves.
//
//===----------------------------------------------------------------------===//

#include "runtime/CentroidConv.h"

#include "runtime/CentroidBlocks.h"
#include "runtime/CpuFeatures.h"
#include "runtime/RowTasks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

using namespace mlir::qc;
using namespace mlir::qc::centroid;

namespace {

/// The dense layer's blocks of rows have as many vectors as keep their
/// transposed input within this many bytes (L1), at least one.
constexpr int64_t kDenseBlockBytes = 24 << 10;
/// Planar scratch elements per call beyond which images are done in groups.
constexpr int64_t kScratchBudget = int64_t(1) << 21;
/// Vector additions below which a call stays on the calling thread.
constexpr int64_t kSerialWork = int64_t(1) << 15;

struct Routes {
  BlockFn block;
  TransposeFn transpose;
  /// Whether dense blocks should be narrow enough for their input to stay
  /// in L1 (the AVX-512 route makes up for narrow blocks, the loops cannot).
  bool narrowDense;
};

/// x / d for 0 <= x < 2^31 by a multiply-high: m = ceil(2^64 / d) is off
/// from 2^64 / d by less than 1, so x * m / 2^64 is off from x / d by less
/// than 2^-33 < 1 / d, never reaching the next integer.
struct Divider {
  explicit Divider(int64_t d)
      : d(d), magic(d == 1 ? 0 : UINT64_MAX / uint64_t(d) + 1) {}
  int64_t divide(int64_t x) const {
    if (d == 1)
      return x;
    return static_cast<int64_t>(
        (static_cast<unsigned __int128>(uint64_t(x)) * magic) >> 64);
  }
  int64_t d;
  uint64_t magic;
};

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

Routes getRoutes(int32_t level) {
  int32_t available = qc_rt_isa_level();
  level = level < available ? level : available;
  if (level >= kIsaAvx512)
    return {runBlock512, transpose512, true};
  if (level >= kIsaAvx2)
    return {runBlockPortableAvx2, transposeAvx2, false};
  return {runBlockPortableBaseline, transposeBaseline, false};
}

/// Splits a run into blocks of at most kMaxVectors vectors, as even as
/// they can be (9 vectors as 5 + 4, not 8 + 1).
void runLanes(const Routes &routes, const Plan &plan, const Run &run,
              int64_t f0, int64_t f1) {
  const int64_t vectors = (run.lanes + 15) / 16;
  const int64_t blocks = (vectors + kMaxVectors - 1) / kMaxVectors;
  int64_t q0 = 0;
  for (int64_t b = 0; b < blocks; ++b) {
    int64_t count = vectors / blocks + (b < vectors % blocks ? 1 : 0);
    routes.block(plan, run, q0, static_cast<int>(count), f0, f1);
    q0 += 16 * count;
  }
}

/// task(closure, i) for i < count, on the pool unless `serial`.
void runTasks(int64_t count, int32_t (*task)(void *, int32_t), void *closure,
              bool serial) {
  if (serial || count == 1) {
    for (int64_t i = 0; i < count; ++i)
      task(closure, static_cast<int32_t>(i));
    return;
  }
  qc_rt_parallel_for(static_cast<int32_t>(count), task, closure);
}

bool checkTables(const CentroidTables &t, int64_t filters, int64_t limit) {
  if (!t.positions || !t.starts || !t.centroids || t.count < 1 ||
      filters > (INT32_MAX - 1) / t.count || t.starts[0] != 0)
    return false;
  const int64_t buckets = filters * t.count;
  bool falling = false;
  for (int64_t i = 0; i < buckets; ++i)
    falling |= t.starts[i + 1] < t.starts[i];
  if (falling)
    return false;
  int32_t lo = 0, hi = 0;
  for (int32_t i = 0; i < t.starts[buckets]; ++i) {
    lo = t.positions[i] < lo ? t.positions[i] : lo;
    hi = t.positions[i] > hi ? t.positions[i] : hi;
  }
  return lo >= 0 && hi <= limit;
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// A convolution call: its planar scratch and the group of images in it.
struct ConvCall {
  const CentroidConvProblem *problem;
  Plan plan;
  Routes routes;
  /// Planar images of `imageSize` 32-bit elements: stride phases (rh, rw),
  /// then channels, of `phaseH` x `phaseW` elements.
  char *planar;
  int64_t phaseH, phaseW, imageSize;
  /// The group's first image and the transposition's rows per task.
  int64_t firstImage, blocksPerImage, rowsPerBlock;
  /// Output rows per unit of the convolution's tasks.
  int64_t rowsPerGroup;
};

/// Input rows [h0, h1) of image i of the group into its planar copy; the
/// phase elements no input element lands in are zeroed.
void transposeRows(const ConvCall &call, int64_t i, int64_t h0, int64_t h1) {
  const ConvGeometry &g = call.problem->g;
  const int64_t channels = g.inSizes[3], height = g.inSizes[1],
                width = g.inSizes[2];
  const int64_t sH = g.strideH, sW = g.strideW;
  const int64_t plane = call.phaseH * call.phaseW;
  const char *image = static_cast<const char *>(call.problem->input) +
                      (call.firstImage + i) * g.inStrides[0] * 4;
  char *planar = call.planar + i * call.imageSize * 4;
  for (int64_t h = h0; h < h1; ++h) {
    const int64_t rh = h % sH, b = h / sH;
    for (int64_t rw = 0; rw < sW; ++rw) {
      const int64_t count = rw < width ? ceilDiv(width - rw, sW) : 0;
      char *dst =
          planar + (((rh * sW + rw) * channels) * plane + b * call.phaseW) * 4;
      if (count > 0)
        call.routes.transpose(
            image + (h * g.inStrides[1] + rw * g.inStrides[2]) * 4,
            sW * g.inStrides[2], count, channels, dst, plane);
      if (count < call.phaseW)
        for (int64_t c = 0; c < channels; ++c)
          memset(dst + (c * plane + count) * 4, 0, (call.phaseW - count) * 4);
    }
  }
  if (h1 == height)
    for (int64_t rh = 0; rh < sH; ++rh)
      if ((call.phaseH - 1) * sH + rh >= height)
        for (int64_t c = 0; c < sW * channels; ++c)
          memset(planar + ((rh * sW * channels + c) * plane +
                           (call.phaseH - 1) * call.phaseW) *
                              4,
                 0, call.phaseW * 4);
}

void convRows(const void *closure, int64_t i, int64_t y0, int64_t y1) {
  const ConvCall &call = *static_cast<const ConvCall *>(closure);
  const ConvGeometry &g = call.problem->g;
  Run run;
  run.base = call.planar + (i * call.imageSize + y0 * call.phaseW) * 4;
  run.scale = 1;
  run.lanes = (y1 - y0 - 1) * call.phaseW + g.outSizes[2];
  run.out = call.problem->output + (call.firstImage + i) * g.outStrides[0] +
            y0 * g.outStrides[1];
  run.rowLanes = call.phaseW;
  run.validLanes = g.outSizes[2];
  run.rowStride = g.outStrides[1];
  run.laneStride = g.outStrides[2];
  runLanes(call.routes, call.plan, run, 0, g.outSizes[3]);
}

/// The compiler's offsets, c * Hp * Wp + hh * Wp + ww, rewritten for the
/// stride phases: plane (hh % sH, ww % sW, c), element (hh / sH, ww / sW).
/// One division by Hp * Wp per offset; the rest of the offset indexes
/// `lookup` (spanH * Wp + spanW + 1 entries), which holds -1 where it is no
/// window position.
bool remapPositions(const CentroidConvProblem &p, int64_t phaseH,
                    int64_t phaseW, int32_t *out, int32_t *lookup) {
  const ConvGeometry &g = p.g;
  const int64_t channels = g.inSizes[3], width = g.inSizes[2];
  const int64_t sH = g.strideH, sW = g.strideW, plane = phaseH * phaseW;
  const int64_t spanH = (g.kernelH - 1) * g.dilationH,
                spanW = (g.kernelW - 1) * g.dilationW;
  const int64_t rests = spanH * width + spanW + 1;
  for (int64_t rest = 0; rest < rests; ++rest) {
    const int64_t hh = rest / width, ww = rest % width;
    lookup[rest] = ww > spanW
                       ? -1
                       : static_cast<int32_t>(((hh % sH) * sW + ww % sW) *
                                                  channels * plane +
                                              hh / sH * phaseW + ww / sW);
  }
  const Divider byImage(g.inSizes[1] * width);
  const int64_t count = p.tables.starts[g.outSizes[3] * p.tables.count];
  bool valid = true;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t at = p.tables.positions[i];
    const int64_t c = byImage.divide(at), rest = at - c * byImage.d;
    const int32_t to = rest < rests ? lookup[rest] : -1;
    valid &= to >= 0;
    out[i] = static_cast<int32_t>(c * plane + to);
  }
  return valid;
}

bool runConv(const CentroidConvProblem &p, int32_t level) {
  const ConvGeometry &g = p.g;
  const int64_t images = g.inSizes[0], height = g.inSizes[1],
                width = g.inSizes[2], channels = g.inSizes[3];
  const int64_t outH = g.outSizes[1], outW = g.outSizes[2],
                filters = g.outSizes[3];
  const bool strided = g.strideH > 1 || g.strideW > 1;
  ConvCall call;
  call.problem = &p;
  call.routes = getRoutes(level);
  call.phaseH = ceilDiv(height, g.strideH);
  call.phaseW = ceilDiv(width, g.strideW);
  call.imageSize = g.strideH * g.strideW * channels * call.phaseH * call.phaseW;
  const int64_t group = kScratchBudget / call.imageSize < 1 ? 1
                        : kScratchBudget / call.imageSize < images
                            ? kScratchBudget / call.imageSize
                            : images;
  // Dropped lanes read up to a row and a vector block past an image.
  const int64_t slack = 2 * call.phaseW + kMaxLanes + 64;
  const int64_t positions = p.tables.starts[filters * p.tables.count];
  const int64_t spans =
      (g.kernelH - 1) * g.dilationH * width + (g.kernelW - 1) * g.dilationW + 1;
  const int64_t elements =
      group * call.imageSize + slack + (strided ? positions + spans : 0);
  char *memory = static_cast<char *>(
      aligned_alloc(64, static_cast<size_t>((elements * 4 + 63) / 64 * 64)));
  if (!memory)
    return false;
  call.planar = memory;
  memset(memory + group * call.imageSize * 4, 0, slack * 4);
  call.plan = {p.tables.positions, p.tables.starts, p.tables.centroids,
               p.tables.count,     p.intInput,      g.accumulate};
  if (strided) {
    auto *remapped = reinterpret_cast<int32_t *>(
        memory + (group * call.imageSize + slack) * 4);
    if (!remapPositions(p, call.phaseH, call.phaseW, remapped,
                        remapped + positions)) {
      free(memory);
      return false;
    }
    call.plan.positions = remapped;
  }
  const int64_t vectorsPerImage = ceilDiv((outH - 1) * call.phaseW + outW, 16);
  call.rowsPerGroup = ceilDiv(kMaxLanes, call.phaseW);
  const bool serial =
      images * vectorsPerImage * (positions + filters) < kSerialWork;
  for (int64_t n0 = 0; n0 < images; n0 += group) {
    const int64_t count = images - n0 < group ? images - n0 : group;
    call.firstImage = n0;
    call.blocksPerImage = serial                        ? 1
                          : ceilDiv(16, count) < height ? ceilDiv(16, count)
                                                        : height;
    call.rowsPerBlock = ceilDiv(height, call.blocksPerImage);
    call.blocksPerImage = ceilDiv(height, call.rowsPerBlock);
    auto transposeTask = [](void *closure, int32_t index) -> int32_t {
      const ConvCall &c = *static_cast<const ConvCall *>(closure);
      const int64_t i = index / c.blocksPerImage,
                    h0 = index % c.blocksPerImage * c.rowsPerBlock;
      const int64_t end = h0 + c.rowsPerBlock, height = c.problem->g.inSizes[1];
      transposeRows(c, i, h0, end < height ? end : height);
      return 0;
    };
    runTasks(count * call.blocksPerImage, transposeTask, &call, serial);
    if (serial) {
      for (int64_t i = 0; i < count; ++i)
        convRows(&call, i, 0, outH);
      continue;
    }
    // The pool gets groups of rows with a block of lanes or more each:
    // one-row tasks of a narrow image would leave most lanes idle.
    auto convGroups = [](const void *closure, int64_t i, int64_t u0,
                         int64_t u1) {
      const ConvCall &c = *static_cast<const ConvCall *>(closure);
      const int64_t rows = c.problem->g.outSizes[1];
      convRows(closure, i, u0 * c.rowsPerGroup,
               u1 * c.rowsPerGroup < rows ? u1 * c.rowsPerGroup : rows);
    };
    forEachRowBlock(count, ceilDiv(outH, call.rowsPerGroup), convGroups, &call);
  }
  free(memory);
  return true;
}

/// A dense call: blocks of batch rows, each transposed to [depth][lanes].
struct DenseCall {
  const CentroidDenseProblem *problem;
  Plan plan;
  Routes routes;
  char *planar;
  int64_t vectors, blocks;
  /// Column ranges per block for the transposition, filter ranges for the
  /// layer.
  int64_t columnSplits, filterSplits;

  /// The first vector and the vectors of block b (as even as can be).
  int64_t firstVector(int64_t b) const {
    return b * (vectors / blocks) +
           (b < vectors % blocks ? b : vectors % blocks);
  }
  int64_t blockVectors(int64_t b) const {
    return vectors / blocks + (b < vectors % blocks ? 1 : 0);
  }
};

bool runDense(const CentroidDenseProblem &p, int32_t level) {
  DenseCall call;
  call.problem = &p;
  call.routes = getRoutes(level);
  call.vectors = ceilDiv(p.rows, 16);
  const int64_t fit = call.routes.narrowDense
                          ? kDenseBlockBytes / (p.depth * 16 * 4)
                          : kMaxVectors;
  call.blocks = ceilDiv(call.vectors, fit < 1             ? 1
                                      : fit < kMaxVectors ? fit
                                                          : kMaxVectors);
  char *memory = static_cast<char *>(aligned_alloc(
      64,
      static_cast<size_t>((p.depth * 16 * call.vectors * 4 + 63) / 64 * 64)));
  if (!memory)
    return false;
  call.planar = memory;
  call.plan = {p.tables.positions, p.tables.starts, p.tables.centroids,
               p.tables.count,     p.intInput,      p.accumulate};
  const int64_t positions = p.tables.starts[p.filters * p.tables.count];
  const bool serial = call.vectors * (positions + p.filters) < kSerialWork;
  call.columnSplits = serial ? 1
                             : (ceilDiv(8, call.blocks) < ceilDiv(p.depth, 64)
                                    ? ceilDiv(8, call.blocks)
                                    : ceilDiv(p.depth, 64));
  call.filterSplits = serial ? 1
                      : ceilDiv(16, call.blocks) < p.filters
                          ? ceilDiv(16, call.blocks)
                          : p.filters;
  auto transposeTask = [](void *closure, int32_t index) -> int32_t {
    const DenseCall &c = *static_cast<const DenseCall *>(closure);
    const CentroidDenseProblem &q = *c.problem;
    const int64_t b = index / c.columnSplits, part = index % c.columnSplits;
    const int64_t k0 = q.depth * part / c.columnSplits,
                  k1 = q.depth * (part + 1) / c.columnSplits;
    const int64_t row0 = 16 * c.firstVector(b), pitch = 16 * c.blockVectors(b);
    const int64_t lanes = q.rows - row0 < pitch ? q.rows - row0 : pitch;
    char *dst = c.planar + (q.depth * row0 + k0 * pitch) * 4;
    c.routes.transpose(static_cast<const char *>(q.input) +
                           (row0 * q.inRowStride + k0) * 4,
                       q.inRowStride, lanes, k1 - k0, dst, pitch);
    if (lanes < pitch)
      for (int64_t k = 0; k < k1 - k0; ++k)
        memset(dst + (k * pitch + lanes) * 4, 0, (pitch - lanes) * 4);
    return 0;
  };
  runTasks(call.blocks * call.columnSplits, transposeTask, &call, serial);
  auto layerTask = [](void *closure, int32_t index) -> int32_t {
    const DenseCall &c = *static_cast<const DenseCall *>(closure);
    const CentroidDenseProblem &q = *c.problem;
    const int64_t b = index / c.filterSplits, part = index % c.filterSplits;
    const int64_t row0 = 16 * c.firstVector(b), pitch = 16 * c.blockVectors(b);
    Run run;
    run.base = c.planar + q.depth * row0 * 4;
    run.scale = pitch;
    run.lanes = q.rows - row0 < pitch ? q.rows - row0 : pitch;
    run.out = q.output + row0 * q.outRowStride;
    run.rowLanes = run.lanes;
    run.validLanes = run.lanes;
    run.rowStride = 0;
    run.laneStride = q.outRowStride;
    runLanes(c.routes, c.plan, run, q.filters * part / c.filterSplits,
             q.filters * (part + 1) / c.filterSplits);
    return 0;
  };
  runTasks(call.blocks * call.filterSplits, layerTask, &call, serial);
  free(memory);
  return true;
}

} // namespace

namespace mlir {
namespace qc {

bool canRunCentroidConv(const CentroidConvProblem &p) {
  const ConvGeometry &g = p.g;
  if (!isDirectConvGeometry(g) || !p.input || !p.output)
    return false;
  const int64_t height = g.inSizes[1], width = g.inSizes[2],
                channels = g.inSizes[3];
  // Offsets and phase-split images stay below 2^31 elements.
  int64_t image, phases;
  if (__builtin_mul_overflow(height, width, &image) ||
      __builtin_mul_overflow(image, channels, &image) || image > INT32_MAX ||
      __builtin_mul_overflow(ceilDiv(height, g.strideH) * g.strideH,
                             ceilDiv(width, g.strideW) * g.strideW, &phases) ||
      __builtin_mul_overflow(phases, channels, &phases) || phases > INT32_MAX ||
      g.outSizes[0] * g.outSizes[1] > INT32_MAX)
    return false;
  const int64_t span = (channels - 1) * height * width +
                       (g.kernelH - 1) * g.dilationH * width +
                       (g.kernelW - 1) * g.dilationW;
  return checkTables(p.tables, g.outSizes[3], span);
}

bool centroidConv(const CentroidConvProblem &problem) {
  return runConv(problem, qc_rt_isa_level());
}

bool centroidConvAtLevel(const CentroidConvProblem &problem, int32_t level) {
  return runConv(problem, level);
}

bool canRunCentroidDense(const CentroidDenseProblem &p) {
  if (!p.input || !p.output || p.rows <= 0 || p.rows > INT32_MAX / 16 ||
      p.depth <= 0 || p.filters <= 0 || p.inRowStride < 0 ||
      p.depth > INT32_MAX || (p.rows > 1 && p.outRowStride < p.filters) ||
      p.outRowStride < 0)
    return false;
  int64_t scratch;
  if (__builtin_mul_overflow(p.depth, ceilDiv(p.rows, 16) * 16 * 4, &scratch))
    return false;
  return checkTables(p.tables, p.filters, p.depth - 1);
}

bool centroidDense(const CentroidDenseProblem &problem) {
  return runDense(problem, qc_rt_isa_level());
}

bool centroidDenseAtLevel(const CentroidDenseProblem &problem, int32_t level) {
  return runDense(problem, level);
}

} // namespace qc
} // namespace mlir

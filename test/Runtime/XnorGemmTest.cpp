//===- XnorGemmTest.cpp - Tests of the XNOR GEMM ukernel --------*- C++ -*-===//
//
// Checks the AOT-compiled `qc_xnor_gemm_u32` ukernel against a brute-force
// reference that never sees packed bits: random +-1 vectors are multiplied
// and summed directly, and only the kernel's inputs are packed (by this file,
// following REFERENCE §2). Also covers the tail-bit convention, the argument
// checks and the run-time choice of instruction set.
//
// The kernel library holds one variant per instruction set and picks one on
// its first call. Setting QC_TEST_UKERNEL_ISA to `avx2` or `x86-64` caps that
// choice so that the lower variants get tested on machines that would never
// pick them; CMake registers every test once per cap.
//
//===----------------------------------------------------------------------===//

#include "runtime/CpuFeatures.h"
#include "runtime/ukernels/qc_xnor_gemm_u32.h"

#include "HalideBuffer.h"
#include "HalideRuntime.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

//===----------------------------------------------------------------------===//
// Instruction-set cap and dispatch recording
//===----------------------------------------------------------------------===//

/// The highest instruction set the kernel may use in this process.
enum class IsaCap { Native, Avx2, Baseline };

/// Halide's features are a bit set spread over 64-bit words.
constexpr int kFeatureWords = (halide_target_feature_end + 63) / 64;
using FeatureMask = std::vector<uint64_t>;

FeatureMask makeMask(std::initializer_list<halide_target_feature_t> features) {
  FeatureMask mask(kFeatureWords, 0);
  for (halide_target_feature_t f : features)
    mask[f / 64] |= uint64_t(1) << (f % 64);
  return mask;
}

bool hasFeature(int count, const uint64_t *features,
                halide_target_feature_t f) {
  int word = f / 64;
  return word < count && ((features[word] >> (f % 64)) & 1);
}

const std::vector<halide_target_feature_t> kAvx512Features = {
    halide_target_feature_avx512, halide_target_feature_avx512_knl,
    halide_target_feature_avx512_skylake,
    halide_target_feature_avx512_cannonlake,
    halide_target_feature_avx512_sapphirerapids};
const std::vector<halide_target_feature_t> kAvx2Features = {
    halide_target_feature_sse41, halide_target_feature_avx,
    halide_target_feature_f16c, halide_target_feature_fma,
    halide_target_feature_avx2};

IsaCap gCap = IsaCap::Native;
/// The feature sets of the variants the hook accepted. The generated wrapper
/// may ask about every variant before it picks one (it has been seen to ask
/// about AVX2 before AVX-512), and it runs the first variant of its target
/// list -- AVX-512, AVX2, plain x86-64 -- that was accepted. The plain
/// variant is never asked about.
std::vector<FeatureMask> gAcceptedFeatures;

/// Stands in for halide_can_use_target_features: refuses the features above
/// the cap, then defers to Halide's CPU detection.
int cappedCanUseTargetFeatures(int count, const uint64_t *features) {
  std::vector<halide_target_feature_t> denied;
  if (gCap != IsaCap::Native)
    denied = kAvx512Features;
  if (gCap == IsaCap::Baseline)
    denied.insert(denied.end(), kAvx2Features.begin(), kAvx2Features.end());
  for (halide_target_feature_t f : denied)
    if (hasFeature(count, features, f))
      return 0;
  if (!halide_default_can_use_target_features(count, features))
    return 0;
  gAcceptedFeatures.emplace_back(features, features + count);
  return 1;
}

bool cpuSupports(std::initializer_list<halide_target_feature_t> features) {
  FeatureMask mask = makeMask(features);
  return halide_default_can_use_target_features(int(mask.size()), mask.data());
}

/// Installs the cap before any test calls the kernel (the choice of variant
/// is made once, on the first call).
class IsaCapEnvironment : public ::testing::Environment {
public:
  void SetUp() override {
    const char *cap = std::getenv("QC_TEST_UKERNEL_ISA");
    std::string name = cap ? cap : "native";
    if (name == "native") {
      gCap = IsaCap::Native;
    } else if (name == "avx2") {
      gCap = IsaCap::Avx2;
    } else if (name == "x86-64") {
      gCap = IsaCap::Baseline;
    } else {
      std::fprintf(stderr,
                   "QC_TEST_UKERNEL_ISA must be native, avx2 or x86-64, not "
                   "'%s'\n",
                   name.c_str());
      std::exit(2);
    }
    // The runtime's own kernels take the same cap (its Halide hook is
    // replaced by this file's, which records what it accepted).
    qc_rt_cap_isa_level(gCap == IsaCap::Native ? -1
                        : gCap == IsaCap::Avx2 ? mlir::qc::kIsaAvx2
                                               : mlir::qc::kIsaBaseline);
    halide_set_custom_can_use_target_features(cappedCanUseTargetFeatures);
  }
};

[[maybe_unused]] ::testing::Environment *const gIsaCapEnvironment =
    ::testing::AddGlobalTestEnvironment(new IsaCapEnvironment);

//===----------------------------------------------------------------------===//
// Halide error capture
//===----------------------------------------------------------------------===//

std::string gLastHalideError;

void captureHalideError(void *, const char *message) {
  gLastHalideError = message;
}

/// Routes Halide's error messages into gLastHalideError while alive, so that
/// tests of rejected calls can check them and keep stderr quiet.
class ScopedHalideErrorCapture {
public:
  ScopedHalideErrorCapture()
      : previous(halide_set_error_handler(captureHalideError)) {
    gLastHalideError.clear();
  }
  ~ScopedHalideErrorCapture() { halide_set_error_handler(previous); }

private:
  halide_error_handler_t previous;
};

//===----------------------------------------------------------------------===//
// Reference, packing and kernel call
//===----------------------------------------------------------------------===//

/// Row-major rows x k matrix of +1/-1 values.
std::vector<int> randomSigns(int rows, int k, std::mt19937 &rng) {
  std::bernoulli_distribution isMinusOne(0.5);
  std::vector<int> signs(size_t(rows) * k);
  for (int &s : signs)
    s = isMinusOne(rng) ? -1 : 1;
  return signs;
}

/// Packs each row of k signs into `words` uint32 words (REFERENCE §2):
/// element i goes to bit i % 32 of word i / 32, -1 is bit 1, +1 is bit 0,
/// and every bit after the last element stays 0.
std::vector<uint32_t> packRows(const std::vector<int> &signs, int rows, int k,
                               int words) {
  std::vector<uint32_t> packed(size_t(rows) * words, 0);
  for (int row = 0; row < rows; ++row)
    for (int i = 0; i < k; ++i)
      if (signs[size_t(row) * k + i] == -1)
        packed[size_t(row) * words + i / 32] |= uint32_t(1) << (i % 32);
  return packed;
}

int wordsFor(int k) { return (k + 31) / 32; }

/// out[m][n] = sum_i a[m][i] * w[n][i] on the unpacked values.
std::vector<int32_t> referenceGemm(const std::vector<int> &a,
                                   const std::vector<int> &w, int numM,
                                   int numN, int k) {
  std::vector<int32_t> out(size_t(numM) * numN);
  for (int m = 0; m < numM; ++m)
    for (int n = 0; n < numN; ++n) {
      int32_t sum = 0;
      for (int i = 0; i < k; ++i)
        sum += a[size_t(m) * k + i] * w[size_t(n) * k + i];
      out[size_t(m) * numN + n] = sum;
    }
  return out;
}

/// Marks output elements the kernel did not write.
constexpr int32_t kUnwritten = 0x7eadbeef;

struct KernelResult {
  int status;
  /// Row-major numM x numN.
  std::vector<int32_t> out;
};

/// Calls the kernel on packed rows of `words` words each, with an
/// outN x outM output (by default the right shape).
KernelResult runXnorGemm(std::vector<uint32_t> &a, int numM, int aWords,
                         std::vector<uint32_t> &w, int numN, int wWords, int k,
                         int outN = -1, int outM = -1) {
  outN = outN < 0 ? numN : outN;
  outM = outM < 0 ? numM : outM;
  Halide::Runtime::Buffer<uint32_t> aBuf(a.data(), aWords, numM);
  Halide::Runtime::Buffer<uint32_t> wBuf(w.data(), wWords, numN);
  Halide::Runtime::Buffer<int32_t> outBuf(outN, outM);
  outBuf.fill(kUnwritten);
  KernelResult result;
  result.status = qc_xnor_gemm_u32(aBuf, wBuf, k, outBuf);
  result.out.resize(size_t(outM) * outN);
  for (int m = 0; m < outM; ++m)
    for (int n = 0; n < outN; ++n)
      result.out[size_t(m) * outN + n] = outBuf(n, m);
  return result;
}

/// Number of elements that differ, with the first few reported.
int countMismatches(const std::vector<int32_t> &got,
                    const std::vector<int32_t> &want, int numN) {
  int mismatches = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (got[i] == want[i])
      continue;
    if (++mismatches <= 5)
      ADD_FAILURE() << "out[m=" << i / numN << "][n=" << i % numN
                    << "] = " << got[i] << ", expected " << want[i];
  }
  return mismatches;
}

bool tailBitsAreZero(const std::vector<uint32_t> &packed, int rows, int k,
                     int words) {
  for (int row = 0; row < rows; ++row)
    for (int bit = k; bit < 32 * words; ++bit)
      if ((packed[size_t(row) * words + bit / 32] >> (bit % 32)) & 1)
        return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Random products against the unpacked reference
//===----------------------------------------------------------------------===//

struct GemmShape {
  const char *name;
  int numM, numN, k;
};

class XnorGemmShapeTest : public ::testing::TestWithParam<GemmShape> {};

TEST_P(XnorGemmShapeTest, MatchesUnpackedDotProducts) {
  const GemmShape &shape = GetParam();
  std::mt19937 rng(20240611u + shape.numM * 7919u + shape.numN * 104729u +
                   shape.k);
  std::vector<int> aSigns = randomSigns(shape.numM, shape.k, rng);
  std::vector<int> wSigns = randomSigns(shape.numN, shape.k, rng);
  int words = wordsFor(shape.k);
  std::vector<uint32_t> a = packRows(aSigns, shape.numM, shape.k, words);
  std::vector<uint32_t> w = packRows(wSigns, shape.numN, shape.k, words);
  ASSERT_TRUE(tailBitsAreZero(a, shape.numM, shape.k, words));
  ASSERT_TRUE(tailBitsAreZero(w, shape.numN, shape.k, words));

  KernelResult result =
      runXnorGemm(a, shape.numM, words, w, shape.numN, words, shape.k);
  ASSERT_EQ(result.status, 0);
  std::vector<int32_t> want =
      referenceGemm(aSigns, wSigns, shape.numM, shape.numN, shape.k);
  EXPECT_EQ(countMismatches(result.out, want, shape.numN), 0);
}

// Vector widths are 4 (SSE2), 8 (AVX2) and 16 (AVX-512) lanes over N, with
// tiles of 2 vectors x 4 rows, so the odd sizes hit every edge case.
INSTANTIATE_TEST_SUITE_P(
    Shapes, XnorGemmShapeTest,
    ::testing::Values(
        GemmShape{"KMultipleOf32", 4, 16, 64}, GemmShape{"KIs32", 8, 32, 32},
        GemmShape{"Conv3x3x64", 8, 64, 576}, GemmShape{"KWithTail", 5, 7, 100},
        GemmShape{"KOneBitIntoLastWord", 3, 5, 33},
        GemmShape{"KBelowOneWord", 6, 9, 31}, GemmShape{"KIsOne", 1, 1, 1},
        GemmShape{"KIsOneManyOutputs", 9, 19, 1},
        GemmShape{"MAndNNotMultiplesOfTiles", 13, 37, 1000},
        GemmShape{"SingleRow", 1, 100, 65},
        GemmShape{"SingleColumn", 50, 1, 95},
        GemmShape{"LargeOddConv3x3x256", 67, 129, 2304}),
    [](const ::testing::TestParamInfo<GemmShape> &info) {
      return std::string(info.param.name);
    });

//===----------------------------------------------------------------------===//
// Tail-bit convention
//===----------------------------------------------------------------------===//

// Pins the packing itself: -1 is bit 1, elements fill words from bit 0, and
// the tail of the last word is 0. The reference tests above use this packer.
TEST(XnorGemmTailBits, PackerSetsOnlyRealBits) {
  std::vector<int> allMinusOne(37, -1);
  std::vector<uint32_t> packed = packRows(allMinusOne, 1, 37, 2);
  EXPECT_EQ(packed[0], 0xffffffffu);
  EXPECT_EQ(packed[1], 0x1fu);

  std::vector<int> oneMinusOneAt33(37, 1);
  oneMinusOneAt33[33] = -1;
  packed = packRows(oneMinusOneAt33, 1, 37, 2);
  EXPECT_EQ(packed[0], 0u);
  EXPECT_EQ(packed[1], 0x2u);
}

// Hand-computed answers for K = 37 (27 tail bits): a kernel that counted the
// tail bits, or used 32 * words instead of k, gets these wrong.
TEST(XnorGemmTailBits, ResultDependsOnlyOnRealElements) {
  constexpr int k = 37;
  std::vector<int> minusOnes(k, -1), plusOnes(k, 1);
  std::vector<uint32_t> a = packRows(minusOnes, 1, k, 2);
  std::vector<uint32_t> w = packRows(minusOnes, 1, k, 2);
  std::vector<uint32_t> wPlus = packRows(plusOnes, 1, k, 2);
  ASSERT_TRUE(tailBitsAreZero(a, 1, k, 2));

  KernelResult same = runXnorGemm(a, 1, 2, w, 1, 2, k);
  ASSERT_EQ(same.status, 0);
  EXPECT_EQ(same.out[0], k);

  KernelResult opposite = runXnorGemm(a, 1, 2, wPlus, 1, 2, k);
  ASSERT_EQ(opposite.status, 0);
  EXPECT_EQ(opposite.out[0], -k);
}

// Rows may carry extra words (e.g. for alignment) if those are zero in both
// operands; the result must not change.
TEST(XnorGemmTailBits, ExtraZeroWordsDoNotChangeResult) {
  constexpr int numM = 6, numN = 11, k = 45, words = 5;
  std::mt19937 rng(7);
  std::vector<int> aSigns = randomSigns(numM, k, rng);
  std::vector<int> wSigns = randomSigns(numN, k, rng);
  std::vector<uint32_t> a = packRows(aSigns, numM, k, words);
  std::vector<uint32_t> w = packRows(wSigns, numN, k, words);

  KernelResult result = runXnorGemm(a, numM, words, w, numN, words, k);
  ASSERT_EQ(result.status, 0);
  EXPECT_EQ(countMismatches(result.out,
                            referenceGemm(aSigns, wSigns, numM, numN, k), numN),
            0);
}

//===----------------------------------------------------------------------===//
// Rejected calls
//===----------------------------------------------------------------------===//

bool untouched(const KernelResult &result) {
  for (int32_t v : result.out)
    if (v != kUnwritten)
      return false;
  return true;
}

TEST(XnorGemmArguments, RejectsDifferentWordsPerRow) {
  std::vector<uint32_t> a(4 * 2, 0), w(3 * 3, 0);
  ScopedHalideErrorCapture capture;
  KernelResult result = runXnorGemm(a, 4, 2, w, 3, 3, 64);
  EXPECT_EQ(result.status, halide_error_code_constraint_violated);
  EXPECT_NE(gLastHalideError, "");
  EXPECT_TRUE(untouched(result));
}

// Depending on the shape, Halide reports a violated constraint or an
// out-of-bounds output; either way nothing may be written.
TEST(XnorGemmArguments, RejectsWrongOutputShape) {
  std::vector<uint32_t> a(4 * 2, 0), w(3 * 2, 0);
  for (auto [outN, outM] :
       {std::pair{4, 4}, std::pair{2, 4}, std::pair{3, 2}, std::pair{3, 5}}) {
    ScopedHalideErrorCapture capture;
    KernelResult result = runXnorGemm(a, 4, 2, w, 3, 2, 64, outN, outM);
    EXPECT_LT(result.status, 0) << outN << "x" << outM;
    EXPECT_NE(gLastHalideError, "") << outN << "x" << outM;
    EXPECT_TRUE(untouched(result)) << outN << "x" << outM;
  }
}

TEST(XnorGemmArguments, RejectsKOutsideThePackedWords) {
  std::vector<uint32_t> a(4 * 2, 0), w(3 * 2, 0);
  for (int k : {0, -5, 65}) {
    ScopedHalideErrorCapture capture;
    KernelResult result = runXnorGemm(a, 4, 2, w, 3, 2, k);
    EXPECT_EQ(result.status, halide_error_code_requirement_failed) << k;
    EXPECT_NE(gLastHalideError.find("k must be in [1, 32 * words per row]"),
              std::string::npos)
        << gLastHalideError;
    EXPECT_TRUE(untouched(result)) << k;
  }
  KernelResult full = runXnorGemm(a, 4, 2, w, 3, 2, 64);
  EXPECT_EQ(full.status, 0);
}

//===----------------------------------------------------------------------===//
// Instruction-set dispatch
//===----------------------------------------------------------------------===//

// The variants are those of QC_UKERNEL_TARGETS in runtime/ukernels: the best
// one that both the CPU and the cap allow must be the one that runs.
TEST(XnorGemmDispatch, PicksBestVariantAllowedByCapAndCpu) {
  std::vector<int> signs(5, 1);
  std::vector<uint32_t> a = packRows(signs, 1, 5, 1);
  ASSERT_EQ(runXnorGemm(a, 1, 1, a, 1, 1, 5).status, 0);

  bool canAvx512 =
      cpuSupports({halide_target_feature_sse41, halide_target_feature_avx,
                   halide_target_feature_f16c, halide_target_feature_fma,
                   halide_target_feature_avx2, halide_target_feature_avx512,
                   halide_target_feature_avx512_skylake,
                   halide_target_feature_avx512_cannonlake,
                   halide_target_feature_avx512_sapphirerapids});
  bool canAvx2 =
      cpuSupports({halide_target_feature_sse41, halide_target_feature_avx,
                   halide_target_feature_f16c, halide_target_feature_fma,
                   halide_target_feature_avx2});

  auto accepted = [](halide_target_feature_t feature) {
    return std::any_of(gAcceptedFeatures.begin(), gAcceptedFeatures.end(),
                       [&](const FeatureMask &mask) {
                         return hasFeature(int(mask.size()), mask.data(),
                                           feature);
                       });
  };
  bool choseAvx512 = accepted(halide_target_feature_avx512_sapphirerapids);
  bool choseAvx2 = !choseAvx512 && accepted(halide_target_feature_avx2);
  std::cout << "CPU: avx2=" << canAvx2
            << " avx512(sapphirerapids level)=" << canAvx512
            << "; variant used: "
            << (choseAvx512 ? "avx512"
                : choseAvx2 ? "avx2"
                            : "x86-64")
            << '\n';

  switch (gCap) {
  case IsaCap::Native:
    EXPECT_EQ(choseAvx512, canAvx512);
    EXPECT_EQ(choseAvx2, !canAvx512 && canAvx2);
    break;
  case IsaCap::Avx2:
    EXPECT_FALSE(choseAvx512);
    EXPECT_EQ(choseAvx2, canAvx2);
    break;
  case IsaCap::Baseline:
    EXPECT_TRUE(gAcceptedFeatures.empty());
    break;
  }
}

} // namespace

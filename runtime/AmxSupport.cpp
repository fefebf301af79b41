//===- AmxSupport.cpp - Whether the AMX-INT8 route may run ----------------===//
//
// Implements AmxSupport.h on CpuFeatures.h's CPUID words (CPUID leaves 1
// and 7 and XCR0, read once) and Linux's arch_prctl. The permission is
// cached in plain atomics: the runtime links no C++ library, so no guarded
// function-local statics.
//
//===----------------------------------------------------------------------===//

#include "runtime/AmxSupport.h"

#include "runtime/CpuFeatures.h"

#include <atomic>
#include <stdlib.h>
#include <string.h>

#ifdef __linux__
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace mlir::qc;

namespace {

/// CPUID leaf 1 ECX: the OS enabled XSAVE, so XGETBV may run.
constexpr uint32_t kOsxsave = 1u << 27;
/// CPUID leaf 7 EDX.
constexpr uint32_t kAmxTile = 1u << 24, kAmxInt8 = 1u << 25;
/// XCR0: the tile configuration and tile data states.
constexpr uint64_t kXtileCfg = 1ull << 17, kXtileData = 1ull << 18;
/// Linux's arch_prctl codes (asm/prctl.h, 5.16 on) and the feature number
/// of XTILEDATA; spelled here because older headers lack them.
constexpr int kArchGetXcompPerm = 0x1022, kArchReqXcompPerm = 0x1023;
constexpr unsigned long kXfeatureXtileData = 18;

/// Whether the OS granted XTILEDATA: -1 until asked, 2 while one thread's
/// request is in flight (so that it is asked once), then 0 or 1.
std::atomic<int32_t> permission{-1};
/// Whether the user refused AMX, and whether QC_AMX was read (or an
/// explicit refusal or permission replaced it).
std::atomic<bool> refused{false};
std::atomic<bool> environmentRead{false};

/// QC_AMX, once: "off" refuses the route; anything else leaves it to the
/// hardware.
void readEnvironment() {
  // A plain load first: this runs on every convolution call.
  if (environmentRead.load() || environmentRead.exchange(true))
    return;
  const char *value = getenv("QC_AMX");
  refused.store(value && strcmp(value, "off") == 0);
}

bool hasPermission() {
  int32_t known = permission.load();
  if (known == 0 || known == 1)
    return known == 1;
  int32_t unknown = -1;
  if (permission.compare_exchange_strong(unknown, 2)) {
    known = requestAmxPermission() ? 1 : 0;
    permission.store(known);
    return known == 1;
  }
  // Another thread is asking; its answer takes a system call.
  while ((known = permission.load()) == 2)
    __builtin_ia32_pause();
  return known == 1;
}

} // namespace

namespace mlir {
namespace qc {

bool hasAmxInt8(const CpuidBits &bits) {
  // Without OSXSAVE, XCR0 was not read (XGETBV would fault).
  if ((bits.leaf1Ecx & kOsxsave) == 0)
    return false;
  if ((bits.leaf7Edx & (kAmxTile | kAmxInt8)) != (kAmxTile | kAmxInt8))
    return false;
  return (bits.xcr0 & (kXtileCfg | kXtileData)) == (kXtileCfg | kXtileData);
}

bool requestAmxPermission() {
#ifdef __linux__
  if (syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtileData) != 0)
    return false;
  unsigned long granted = 0;
  if (syscall(SYS_arch_prctl, kArchGetXcompPerm, &granted) != 0)
    return false;
  return (granted >> kXfeatureXtileData) & 1;
#else
  return false;
#endif
}

AmxStatus getAmxStatus() {
  readEnvironment();
  if (refused.load())
    return AmxStatus::kRefused;
  if (qc_rt_isa_level() < kIsaAvx512Vnni)
    return AmxStatus::kBelowVnni;
  if (!hasAmxInt8(getCpuidBits()))
    return AmxStatus::kNoHardware;
  return hasPermission() ? AmxStatus::kUsable : AmxStatus::kNoPermission;
}

} // namespace qc
} // namespace mlir

extern "C" {

bool qc_rt_amx_usable(void) {
  return mlir::qc::getAmxStatus() == AmxStatus::kUsable;
}

void qc_rt_set_amx_refusal(int32_t refusal) {
  if (refusal < 0) {
    environmentRead.store(false);
    return;
  }
  refused.store(refusal != 0);
  environmentRead.store(true);
}

} // extern "C"

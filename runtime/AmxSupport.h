//===- AmxSupport.h - Whether the AMX-INT8 route may run --------*- C++ -*-===//
//
// The integer convolution has an AMX-INT8 route (ConvAmx.h) for CPUs with
// Intel's tile registers. It runs only when all of these hold, checked in
// this order on each query (the CPUID words and the OS's answer are read
// once per process):
//   1. the user has not refused it (QC_AMX=off, or qc_rt_set_amx_refusal);
//   2. the ISA level, lowered to QC_ISA_CAP, is AVX512-VNNI (the route
//      narrows its rows and applies its epilogue with the VNNI route's
//      AVX-512 code);
//   3. CPUID leaf 7 reports AMX-TILE and AMX-INT8 and XCR0 has the
//      XTILECFG and XTILEDATA states enabled (never a CPU name);
//   4. Linux grants the process the XTILEDATA state (arch_prctl
//      ARCH_REQ_XCOMP_PERM, asked once): a refusal or any error means no
//      AMX, and the VNNI route runs.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_AMXSUPPORT_H
#define QC_RUNTIME_AMXSUPPORT_H

#include "runtime/CpuFeatures.h"

#include <cstdint>

namespace mlir {
namespace qc {

/// Why the AMX route runs or not: the first of AmxSupport.h's conditions
/// that fails.
enum class AmxStatus : int32_t {
  kUsable = 0,
  /// QC_AMX=off, or qc_rt_set_amx_refusal(1).
  kRefused = 1,
  /// The ISA level (capped) is below AVX512-VNNI.
  kBelowVnni = 2,
  /// CPUID or XCR0 lacks one of AMX-TILE, AMX-INT8, XTILECFG, XTILEDATA.
  kNoHardware = 3,
  /// The OS did not grant the XTILEDATA state.
  kNoPermission = 4,
};

/// The status for this process. The CPUID words and the OS's answer are
/// read once; the refusal and the cap are looked at on each call.
AmxStatus getAmxStatus();

/// Whether `bits` describe a CPU and OS with AMX-INT8 tiles: OSXSAVE (XCR0
/// was read), AMX-TILE and AMX-INT8 in leaf 7 EDX (bits 24 and 25), and the
/// XTILECFG and XTILEDATA states enabled in XCR0 (bits 17 and 18).
bool hasAmxInt8(const CpuidBits &bits);

/// Asks Linux for the XTILEDATA state for this process and confirms it
/// with ARCH_GET_XCOMP_PERM; false on a refusal, an error or another OS.
/// Not cached: getAmxStatus calls it once; tests call it directly.
bool requestAmxPermission();

} // namespace qc
} // namespace mlir

extern "C" {
/// Whether the integer convolution may use AMX-INT8 tiles
/// (getAmxStatus() == kUsable).
bool qc_rt_amx_usable(void);
/// Refuses the AMX route (1), allows it whatever QC_AMX says (0), or
/// follows QC_AMX again, read on the next query (-1). For tests: 0 and 1
/// win over the environment until reset with -1.
void qc_rt_set_amx_refusal(int32_t refusal);
}

#endif // QC_RUNTIME_AMXSUPPORT_H

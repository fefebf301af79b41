//===- test/Runtime/hls/ApIntWidthsTest.cpp - ap_int widths 1-64 -*- C++
//-*-===//
//
// Every operator of ap_int<W> / ap_uint<W> for W = 1 to 64 against the
// reference (ApIntChecks.h; ApIntTest.cpp has the overview). The widths are
// split over translation units so that their instantiations compile in
// parallel.
//
//===----------------------------------------------------------------------===//

#include "test/Runtime/hls/ApIntChecks.h"

namespace {

TEST(ApIntWidths, From1To16) { checkWidths<1, 16>(); }
TEST(ApIntWidths, From17To32) { checkWidths<17, 16>(); }
TEST(ApIntWidths, From33To48) { checkWidths<33, 16>(); }
TEST(ApIntWidths, From49To64) { checkWidths<49, 16>(); }

} // namespace

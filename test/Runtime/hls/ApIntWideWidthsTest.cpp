//===- test/Runtime/hls/ApIntWideWidthsTest.cpp - ap_int 65-130 --*- C++
//-*-===//
//
// Every operator of ap_int<W> / ap_uint<W> for W = 65 to 130, and pairs with
// C integer types, against the reference (ApIntChecks.h; ApIntTest.cpp has
// the overview).
//
//===----------------------------------------------------------------------===//

#include "test/Runtime/hls/ApIntChecks.h"

namespace {

TEST(ApIntWidths, From65To80) { checkWidths<65, 16>(); }
TEST(ApIntWidths, From81To96) { checkWidths<81, 16>(); }
TEST(ApIntWidths, From97To112) { checkWidths<97, 16>(); }
TEST(ApIntWidths, From113To130) { checkWidths<113, 18>(); }

TEST(ApIntWidths, MorePairTypes) {
  checkCTypesAt<1>();
  checkCTypesAt<8>();
  checkCTypesAt<31>();
  checkCTypesAt<32>();
  checkCTypesAt<64>();
  checkCTypesAt<65>();
  checkCTypesAt<129>();
}

} // namespace

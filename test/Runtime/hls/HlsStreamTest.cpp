//===- HlsStreamTest.cpp - Tests of qc's C-simulation hls::stream ---------===//
//
// runtime/hls/hls_stream.h against the documented C-simulation semantics
// (a FIFO) and qc's checks: empty reads name the stream, leftovers are
// reported, peaks recorded, and a threaded DATAFLOW region on bounded
// streams either completes or reports its deadlock instead of hanging.
//
//===----------------------------------------------------------------------===//

#include "runtime/hls/hls_stream.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

namespace {

TEST(HlsStream, FifoOrderSizeAndPeak) {
  hls::stream<int> s("fifo");
  for (int i = 0; i < 5; ++i)
    s.write(i);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s.peak(), 5u);
  int value = -1;
  s >> value;
  EXPECT_EQ(value, 0);
  for (int i = 1; i < 5; ++i)
    EXPECT_EQ(s.read(), i);
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.read_nb(value));
  EXPECT_EQ(s.peak(), 5u);
  std::ostringstream report;
  qc_hls::report_streams(report);
  EXPECT_NE(report.str().find("fifo: peak 5"), std::string::npos);
}

TEST(HlsStream, NonBlockingWriteHonoursTheDepth) {
  hls::stream<int> s("bounded");
  s.set_depth(2);
  EXPECT_TRUE(s.write_nb(1));
  EXPECT_TRUE(s.write_nb(2));
  EXPECT_TRUE(s.full());
  EXPECT_FALSE(s.write_nb(3));
  EXPECT_EQ(s.read(), 1);
  EXPECT_EQ(s.read(), 2);
}

TEST(HlsStreamDeathTest, EmptyReadNamesTheStream) {
  EXPECT_EXIT(
      {
        hls::stream<int> s("conv1_out");
        (void)s.read();
      },
      ::testing::ExitedWithCode(1),
      "qc-hls: read from empty stream 'conv1_out'");
}

TEST(HlsStream, LeftoverDataIsReported) {
  hls::stream<int> s("leftover");
  s.write(7);
  testing::internal::CaptureStderr();
  EXPECT_EQ(qc_hls::check_streams(), 1);
  EXPECT_NE(testing::internal::GetCapturedStderr().find(
                "stream 'leftover' holds 1 element(s) left over"),
            std::string::npos);
  (void)s.read();
  EXPECT_EQ(qc_hls::check_streams(), 0);
}

/// A producer of `count` values through a depth-1 stream into a consumer:
/// completes in both modes.
void runPipeline(int count, long &sum) {
  hls::stream<int> link("link");
  link.set_depth(1);
  sum = 0;
  qc_hls::dataflow({[&] {
                      for (int i = 0; i < count; ++i)
                        link.write(i);
                    },
                    [&] {
                      for (int i = 0; i < count; ++i)
                        sum += link.read();
                    }});
}

TEST(HlsStream, DataflowCompletesInOrderAndThreaded) {
  long sum = 0;
  unsetenv("QC_HLS_DATAFLOW");
  runPipeline(1000, sum);
  EXPECT_EQ(sum, 999 * 1000 / 2);
  setenv("QC_HLS_DATAFLOW", "threads", 1);
  runPipeline(1000, sum);
  unsetenv("QC_HLS_DATAFLOW");
  EXPECT_EQ(sum, 999 * 1000 / 2);
}

/// Two processes that each read the other's output before writing their
/// own.
void crossedReads() {
  setenv("QC_HLS_DATAFLOW", "threads", 1);
  hls::stream<int> a("a_to_b"), b("b_to_a");
  a.set_depth(2);
  b.set_depth(2);
  qc_hls::dataflow({[&] { b.write(a.read()); }, [&] { a.write(b.read()); }});
}

/// A consumer that reads one value while the producer writes three into a
/// depth-1 stream: the second write finds it full with nobody to read.
void shortRead() {
  setenv("QC_HLS_DATAFLOW", "threads", 1);
  hls::stream<int> s("short_read");
  s.set_depth(1);
  qc_hls::dataflow({[&] {
                      for (int i = 0; i < 3; ++i)
                        s.write(i);
                    },
                    [&] { (void)s.read(); }});
}

TEST(HlsStreamDeathTest, ThreadedDeadlockIsReported) {
  EXPECT_EXIT(crossedReads(), ::testing::ExitedWithCode(1),
              "deadlock: every running dataflow process waits");
  EXPECT_EXIT(crossedReads(), ::testing::ExitedWithCode(1),
              "waits to read from empty stream 'b_to_a' \\(0 of depth 2\\)");
}

TEST(HlsStreamDeathTest, ProducerBlockedByAFinishedConsumerIsReported) {
  EXPECT_EXIT(shortRead(), ::testing::ExitedWithCode(1),
              "waits to write to full stream 'short_read' \\(1 of depth "
              "1\\)");
}

} // namespace

//===- test/Runtime/hls/HlsStreamTest.cpp - stream tests --------*- C++ -*-===//
//
// Checks runtime/hls/hls_stream.h against the C-simulation semantics UG1399
// documents (an unbounded FIFO; reading an empty stream is an error) and
// qc's additions: the error names the stream, leftovers and peak occupancy
// are reported per stream, and qc_hls::dataflow runs a region's processes in
// order or, in threaded mode, one thread each on streams bounded to their
// declared depth, where a region that can no longer make progress is
// reported (who waits on which stream) and ends the program instead of
// hanging. Deadlocks are provoked on purpose in death tests.
//
//===----------------------------------------------------------------------===//

#include "runtime/hls/ap_int.h"
#include "runtime/hls/hls_stream.h"

#include "gtest/gtest.h"

#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using qc_hls::DataflowMode;

/// Selects a dataflow mode for one test and restores the default after it.
class ModeScope {
public:
  explicit ModeScope(DataflowMode mode) { qc_hls::set_dataflow_mode(mode); }
  ~ModeScope() { qc_hls::set_dataflow_mode(DataflowMode::Default); }
  ModeScope(const ModeScope &) = delete;
  ModeScope &operator=(const ModeScope &) = delete;
};

std::string reportOf() {
  std::ostringstream os;
  qc_hls::report_streams(os);
  return os.str();
}

bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

//===----------------------------------------------------------------------===//
// FIFO semantics outside dataflow
//===----------------------------------------------------------------------===//

TEST(HlsStream, FifoOrderSizeAndPeak) {
  hls::stream<int> s("fifo");
  for (int i = 0; i < 5; ++i)
    s.write(i);
  EXPECT_EQ(s.size(), 5u);
  EXPECT_EQ(s.peak(), 5u);
  int value = -1;
  s >> value;
  EXPECT_EQ(value, 0);
  s.read(value);
  EXPECT_EQ(value, 1);
  s << 10;
  for (int want : {2, 3, 4, 10})
    EXPECT_EQ(s.read(), want);
  EXPECT_TRUE(s.empty());
  EXPECT_FALSE(s.read_nb(value));
  EXPECT_EQ(value, 1); // untouched by the failed read_nb
  EXPECT_EQ(s.peak(), 5u);
  EXPECT_EQ(s.name(), "fifo");
}

TEST(HlsStream, UnboundedOutsideThreadedDataflow) {
  // The declared depth bounds a stream only inside a threaded region; C
  // simulation is otherwise unbounded, so full() never holds.
  hls::stream<int> s("declared_depth_2");
  s.set_depth(2);
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(s.write_nb(i));
  EXPECT_FALSE(s.full());
  EXPECT_EQ(s.size(), 5u);
  int v = 0;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(s.read_nb(v));
    EXPECT_EQ(v, i);
  }
  EXPECT_FALSE(s.read_nb(v));
}

TEST(HlsStream, DepthsAndNames) {
  hls::stream<int, 4> declared("templated");
  EXPECT_EQ(declared.depth(), 4u);
  hls::stream<int> s;
  EXPECT_EQ(s.depth(), 0u);
  qc_hls::set_depth(s, 8);
  EXPECT_EQ(s.depth(), 8u);
  // Unnamed streams get distinct names for the reports.
  hls::stream<int> other;
  EXPECT_FALSE(s.name().empty());
  EXPECT_NE(s.name(), other.name());
}

TEST(HlsStream, CarriesApTypes) {
  hls::stream<ap_uint<12>> s("packed");
  s.write(ap_uint<12>(0xABC));
  s.write(ap_uint<12>(4096 + 5)); // wraps to 5
  EXPECT_EQ(s.read().to_uint(), 0xABCu);
  EXPECT_EQ(s.read().to_uint(), 5u);
}

TEST(HlsStreamDeathTest, EmptyReadNamesTheStream) {
  EXPECT_EXIT(
      {
        hls::stream<int> s("conv1_out");
        (void)s.read();
      },
      testing::ExitedWithCode(1), "qc-hls: read from empty stream 'conv1_out'");
  // Threaded mode only changes reads inside a dataflow region.
  EXPECT_EXIT(
      {
        qc_hls::set_dataflow_mode(DataflowMode::Threads);
        hls::stream<int> s("outside_region");
        int v = 0;
        s >> v;
      },
      testing::ExitedWithCode(1),
      "qc-hls: read from empty stream 'outside_region'");
}

//===----------------------------------------------------------------------===//
// Leftovers and reports
//===----------------------------------------------------------------------===//

TEST(HlsStream, LeftoverDataIsReported) {
  hls::stream<int> a("leftover"), b("drained"), c("two_left");
  a.write(7);
  b.write(1);
  (void)b.read();
  c.write(1);
  c.write(2);
  testing::internal::CaptureStderr();
  EXPECT_EQ(qc_hls::check_streams(), 2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(contains(err, "qc-hls: stream 'leftover' holds 1 element(s) "
                            "left over"))
      << err;
  EXPECT_TRUE(contains(err, "stream 'two_left' holds 2 element(s)")) << err;
  EXPECT_FALSE(contains(err, "drained")) << err;
  (void)a.read();
  (void)c.read();
  (void)c.read();
  EXPECT_EQ(qc_hls::check_streams(), 0);
}

TEST(HlsStream, DestroyingAStreamWithDataWarns) {
  testing::internal::CaptureStderr();
  {
    hls::stream<int> local("local_fifo");
    local.write(3);
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_TRUE(contains(err, "stream 'local_fifo' destroyed holding 1 "
                            "element(s)"))
      << err;
}

TEST(HlsStream, ReportShowsPeakAndDepth) {
  hls::stream<int> fits("fits"), over("over"), unset("unset_depth");
  fits.set_depth(4);
  over.set_depth(2);
  for (int i = 0; i < 3; ++i) {
    fits.write(i);
    over.write(i);
    unset.write(i);
  }
  for (int i = 0; i < 3; ++i) {
    (void)fits.read();
    (void)over.read();
    (void)unset.read();
  }
  std::string report = reportOf();
  EXPECT_TRUE(contains(report, "fits: peak 3, depth 4\n")) << report;
  EXPECT_TRUE(contains(report, "over: peak 3, depth 2 (peak exceeds depth)\n"))
      << report;
  EXPECT_TRUE(contains(report, "unset_depth: peak 3, depth unset\n")) << report;
}

//===----------------------------------------------------------------------===//
// Dataflow regions
//===----------------------------------------------------------------------===//

/// A producer of `count` values through a stream of depth `depth` into a
/// consumer that sums them.
long runPipeline(int count, std::size_t depth, std::size_t *peak = nullptr) {
  hls::stream<int> link("link");
  link.set_depth(depth);
  long sum = 0;
  qc_hls::dataflow({[&] {
                      for (int i = 0; i < count; ++i)
                        link.write(i);
                    },
                    [&] {
                      for (int i = 0; i < count; ++i)
                        sum += link.read();
                    }});
  if (peak)
    *peak = link.peak();
  return sum;
}

TEST(HlsStreamDataflow, SequentialRunsInOrderOnUnboundedStreams) {
  ModeScope mode(DataflowMode::Sequential);
  std::vector<int> order;
  qc_hls::dataflow([&] { order.push_back(1); }, [&] { order.push_back(2); },
                   [&] { order.push_back(3); });
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  // The producer runs to completion first, past the declared depth.
  std::size_t peak = 0;
  EXPECT_EQ(runPipeline(100, 2, &peak), 99 * 100 / 2);
  EXPECT_EQ(peak, 100u);
}

TEST(HlsStreamDataflow, ThreadedPipelineCompletesWithinItsDepth) {
  ModeScope mode(DataflowMode::Threads);
  for (std::size_t depth : {1u, 2u, 5u}) {
    std::size_t peak = 0;
    EXPECT_EQ(runPipeline(2000, depth, &peak), 1999 * 2000 / 2);
    EXPECT_LE(peak, depth);
    EXPECT_GE(peak, 1u);
  }
}

TEST(HlsStreamDataflow, ThreadedThreeStagesAndNonBlockingCalls) {
  ModeScope mode(DataflowMode::Threads);
  hls::stream<ap_uint<8>> a("a"), b("b");
  a.set_depth(2);
  b.set_depth(1);
  long sum = 0;
  qc_hls::dataflow({qc_hls::process("source",
                                    [&] {
                                      for (int i = 0; i < 300; ++i) {
                                        // Retries until there is room.
                                        while (!a.write_nb(ap_uint<8>(i)))
                                          std::this_thread::yield();
                                      }
                                    }),
                    qc_hls::process("double",
                                    [&] {
                                      for (int i = 0; i < 300; ++i)
                                        b.write(a.read() * 2);
                                    }),
                    qc_hls::process("sink", [&] {
                      for (int i = 0; i < 300; ++i)
                        sum += b.read().to_int();
                    })});
  // Each item wrapped to 8 bits on the way in and on the way out.
  long want = 0;
  for (int i = 0; i < 300; ++i)
    want += (2 * (i % 256)) % 256;
  EXPECT_EQ(sum, want);
  EXPECT_LE(a.peak(), 2u);
  EXPECT_LE(b.peak(), 1u);
  EXPECT_EQ(qc_hls::check_streams(), 0);
}

TEST(HlsStreamDataflow, NestedRegionsComplete) {
  ModeScope mode(DataflowMode::Threads);
  hls::stream<int> in("nested_in"), mid("nested_mid"), out("nested_out");
  in.set_depth(2);
  mid.set_depth(2);
  out.set_depth(2);
  long sum = 0;
  qc_hls::dataflow({[&] {
                      for (int i = 0; i < 500; ++i)
                        in.write(i);
                    },
                    [&] {
                      // A dataflow function calling a dataflow function.
                      qc_hls::dataflow({[&] {
                                          for (int i = 0; i < 500; ++i)
                                            mid.write(in.read() + 1);
                                        },
                                        [&] {
                                          for (int i = 0; i < 500; ++i)
                                            out.write(mid.read() + 1);
                                        }});
                    },
                    [&] {
                      for (int i = 0; i < 500; ++i)
                        sum += out.read();
                    }});
  EXPECT_EQ(sum, 499 * 500 / 2 + 2 * 500);
}

TEST(HlsStreamDataflow, EnvironmentSelectsTheMode) {
  ModeScope mode(DataflowMode::Default);
  unsetenv("QC_HLS_DATAFLOW");
  EXPECT_EQ(qc_hls::dataflow_mode(), DataflowMode::Sequential);
  setenv("QC_HLS_DATAFLOW", "threads", 1);
  EXPECT_EQ(qc_hls::dataflow_mode(), DataflowMode::Threads);
  EXPECT_EQ(runPipeline(1000, 1), 999 * 1000 / 2);
  qc_hls::set_dataflow_mode(DataflowMode::Sequential);
  EXPECT_EQ(qc_hls::dataflow_mode(), DataflowMode::Sequential);
  unsetenv("QC_HLS_DATAFLOW");
}

//===----------------------------------------------------------------------===//
// Deadlocks
//===----------------------------------------------------------------------===//

/// Two processes that each read the other's output before writing their
/// own.
void crossedReads() {
  qc_hls::set_dataflow_mode(DataflowMode::Threads);
  hls::stream<int> a("a_to_b"), b("b_to_a");
  a.set_depth(2);
  b.set_depth(2);
  qc_hls::dataflow({qc_hls::process("left", [&] { b.write(a.read()); }),
                    qc_hls::process("right", [&] { a.write(b.read()); })});
}

/// The producer writes two values into a depth-1 stream before it writes
/// the token the consumer waits for first.
void writesBeforeToken() {
  qc_hls::set_dataflow_mode(DataflowMode::Threads);
  hls::stream<int> data("data"), token("token");
  data.set_depth(1);
  token.set_depth(2);
  qc_hls::dataflow({[&] {
                      data.write(1);
                      data.write(2);
                      token.write(0);
                    },
                    [&] {
                      (void)token.read();
                      (void)data.read();
                      (void)data.read();
                    }});
}

/// A consumer that reads one value while the producer writes three into a
/// depth-1 stream: the second write finds it full with nobody left to read.
void shortRead() {
  qc_hls::set_dataflow_mode(DataflowMode::Threads);
  hls::stream<int> s("short_read");
  s.set_depth(1);
  qc_hls::dataflow({[&] {
                      for (int i = 0; i < 3; ++i)
                        s.write(i);
                    },
                    [&] { (void)s.read(); }});
}

/// A consumer waiting for more than the producer writes.
void starvedReader() {
  qc_hls::set_dataflow_mode(DataflowMode::Threads);
  hls::stream<int> s("starved");
  s.set_depth(4);
  qc_hls::dataflow({[&] { s.write(1); },
                    [&] {
                      (void)s.read();
                      (void)s.read();
                    }});
}

/// A nested region whose processes deadlock.
void nestedDeadlock() {
  qc_hls::set_dataflow_mode(DataflowMode::Threads);
  hls::stream<int> x("inner_x"), y("inner_y");
  x.set_depth(1);
  y.set_depth(1);
  qc_hls::dataflow({qc_hls::process("outer", [&] {
    qc_hls::dataflow({[&] { y.write(x.read()); }, [&] { x.write(y.read()); }});
  })});
}

TEST(HlsStreamDeathTest, CrossedReadsDeadlock) {
  EXPECT_EXIT(crossedReads(), testing::ExitedWithCode(1),
              "qc-hls: deadlock: every running dataflow process waits");
  EXPECT_EXIT(crossedReads(), testing::ExitedWithCode(1),
              "process 'left' waits to read from empty stream 'a_to_b' "
              "\\(0 of depth 2\\)");
  EXPECT_EXIT(crossedReads(), testing::ExitedWithCode(1),
              "process 'right' waits to read from empty stream 'b_to_a' "
              "\\(0 of depth 2\\)");
}

TEST(HlsStreamDeathTest, FullStreamBeforeTokenDeadlocks) {
  EXPECT_EXIT(writesBeforeToken(), testing::ExitedWithCode(1),
              "process 'process 1' waits to write to full stream 'data' "
              "\\(1 of depth 1\\)");
  EXPECT_EXIT(writesBeforeToken(), testing::ExitedWithCode(1),
              "process 'process 2' waits to read from empty stream 'token' "
              "\\(0 of depth 2\\)");
}

TEST(HlsStreamDeathTest, ProcessesLeftWaitingOnFinishedOnesDeadlock) {
  EXPECT_EXIT(shortRead(), testing::ExitedWithCode(1),
              "waits to write to full stream 'short_read' \\(1 of depth 1\\)");
  EXPECT_EXIT(shortRead(), testing::ExitedWithCode(1),
              "process 'process 2' has finished");
  EXPECT_EXIT(starvedReader(), testing::ExitedWithCode(1),
              "waits to read from empty stream 'starved' \\(0 of depth 4\\)");
}

TEST(HlsStreamDeathTest, NestedDeadlockNamesTheWaitingRegion) {
  EXPECT_EXIT(nestedDeadlock(), testing::ExitedWithCode(1),
              "process 'outer' waits for its nested dataflow");
  EXPECT_EXIT(nestedDeadlock(), testing::ExitedWithCode(1),
              "process 'outer/1' waits to read from empty stream 'inner_x'");
}

} // namespace

//===- ParallelForTest.cpp - Tests of the runtime's task loop ---*- C++ -*-===//
//
// qc_rt_parallel_for runs every task once and returns the first nonzero
// status, on a pool of one thread (where it runs the tasks in order on the
// caller) and of two.
//
//===----------------------------------------------------------------------===//

#include "runtime/RuntimeCalls.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

using mlir::qc::qc_rt_parallel_for;
using mlir::qc::qc_rt_set_threads;

namespace {

struct Tasks {
  std::vector<std::atomic<int32_t>> runs;
  std::vector<std::thread::id> threads;
  int32_t failAt;
  explicit Tasks(int32_t count, int32_t failAt = -1)
      : runs(count), threads(count), failAt(failAt) {}
};

int32_t runTask(void *closure, int32_t index) {
  Tasks &tasks = *static_cast<Tasks *>(closure);
  tasks.runs[index].fetch_add(1);
  tasks.threads[index] = std::this_thread::get_id();
  return index == tasks.failAt ? 7 : 0;
}

TEST(ParallelFor, EveryTaskOnceOnOneAndTwoThreads) {
  for (int32_t threads : {1, 2}) {
    qc_rt_set_threads(threads);
    for (int32_t count : {0, 1, 5, 64}) {
      Tasks tasks(count);
      EXPECT_EQ(qc_rt_parallel_for(count, runTask, &tasks), 0);
      for (int32_t i = 0; i < count; ++i)
        EXPECT_EQ(tasks.runs[i].load(), 1)
            << "task " << i << " of " << count << ", " << threads << " threads";
      if (threads == 1)
        for (int32_t i = 0; i < count; ++i)
          EXPECT_EQ(tasks.threads[i], std::this_thread::get_id());
    }
  }
}

TEST(ParallelFor, ReturnsTheFailingStatus) {
  for (int32_t threads : {1, 2}) {
    qc_rt_set_threads(threads);
    Tasks tasks(9, 4);
    EXPECT_EQ(qc_rt_parallel_for(9, runTask, &tasks), 7);
    // On one thread the tasks after the failing one do not run.
    if (threads == 1)
      EXPECT_EQ(tasks.runs[5].load(), 0);
  }
}

} // namespace

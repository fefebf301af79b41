//===- hls_stream.h - qc's C-simulation hls::stream -------------*- C++ -*-===//
//
// The subset of Vitis HLS's hls::stream that qc's generated kernels and
// testbenches use, written from its documented C-simulation semantics
// (UG1399): an unbounded FIFO with read, write, empty, full, size and the
// non-blocking forms. qc adds the checks vendor C-simulation lacks:
//   - reading an empty stream is an error naming the stream (exit 1);
//   - qc_hls::check_streams() reports every stream still holding data;
//   - each stream records its peak occupancy (qc_hls::report_streams);
//   - qc_hls::dataflow(...) runs a DATAFLOW region's processes in order, or,
//     with QC_HLS_DATAFLOW=threads, one thread per process on streams
//     bounded to the depth set with set_depth(): writers wait while a
//     stream is full, readers while it is empty, and when every running
//     process waits the region is deadlocked: each process's wait is
//     printed and the program exits 1 instead of hanging.
// __QC_HLS_SHIM__ is defined so that generated code can tell this header
// from the vendor's.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_HLS_HLS_STREAM_H
#define QC_RUNTIME_HLS_HLS_STREAM_H

#ifndef __QC_HLS_SHIM__
#define __QC_HLS_SHIM__ 1
#endif

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace qc_hls {

class StreamBase;

namespace detail {

/// Process-wide state: the live streams, and the threaded dataflow region
/// if one runs. One mutex guards everything; C-simulation is not timed.
struct State {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<StreamBase *> streams;
  bool threaded = false;
  /// Processes of the running region that have not returned, and how many
  /// of them wait on a stream.
  size_t running = 0, waiting = 0;
  /// Per process: the stream it waits on (null: not waiting) and how.
  std::vector<const StreamBase *> waitStream;
  std::vector<bool> waitWrite;
};

inline State &state() {
  static State s;
  return s;
}

/// Index of the calling thread's process in the region (-1: none).
inline int &process() {
  static thread_local int index = -1;
  return index;
}

[[noreturn]] inline void fail(const std::string &message) {
  std::fflush(stdout);
  std::fprintf(stderr, "qc-hls: %s\n", message.c_str());
  std::fflush(stderr);
  std::_Exit(1);
}

} // namespace detail

/// What every stream shares, whatever its element type.
class StreamBase {
public:
  explicit StreamBase(const char *name) : name_(name ? name : "") {
    if (name_.empty())
      name_ =
          "stream#" + std::to_string(reinterpret_cast<std::uintptr_t>(this));
    std::lock_guard<std::mutex> lock(detail::state().mutex);
    detail::state().streams.push_back(this);
  }
  StreamBase(const StreamBase &) = delete;
  StreamBase &operator=(const StreamBase &) = delete;
  virtual ~StreamBase() {
    std::lock_guard<std::mutex> lock(detail::state().mutex);
    std::vector<StreamBase *> &all = detail::state().streams;
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i] == this) {
        all.erase(all.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
  }

  const std::string &name() const { return name_; }
  /// The depth the kernel states (#pragma HLS STREAM depth); 0: unset.
  void set_depth(size_t depth) { depth_ = depth; }
  size_t depth() const { return depth_; }
  /// The most elements the stream held at once.
  size_t peak() const { return peak_; }
  virtual size_t occupancy() const = 0;

protected:
  /// Waits (threaded regions only) until the stream can be read (or
  /// written); reports a deadlock when every running process waits.
  void waitFor(std::unique_lock<std::mutex> &lock, bool write) {
    detail::State &s = detail::state();
    int self = detail::process();
    auto ready = [&] { return canProceed(write); };
    if (ready())
      return;
    if (!s.threaded || self < 0) {
      if (write)
        return; // unbounded outside a threaded region
      detail::fail("read from empty stream '" + name_ + "'");
    }
    s.waitStream[static_cast<size_t>(self)] = this;
    s.waitWrite[static_cast<size_t>(self)] = write;
    ++s.waiting;
    while (!ready()) {
      // Deadlocked when every running process waits and none of the waits
      // can end (a waiter that was signalled may not have run yet).
      if (s.waiting == s.running && !anyWaiterReady())
        reportDeadlock();
      s.changed.wait(lock);
    }
    --s.waiting;
    s.waitStream[static_cast<size_t>(self)] = nullptr;
  }

  void noteWrite() {
    if (occupancy() > peak_)
      peak_ = occupancy();
    detail::state().changed.notify_all();
  }

private:
  bool canProceed(bool write) const {
    return write ? (depth_ == 0 || occupancy() < depth_) : occupancy() > 0;
  }

  static bool anyWaiterReady() {
    detail::State &s = detail::state();
    for (size_t p = 0; p < s.waitStream.size(); ++p)
      if (const StreamBase *stream = s.waitStream[p])
        if (stream->canProceed(s.waitWrite[p]))
          return true;
    return false;
  }

  [[noreturn]] static void reportDeadlock() {
    detail::State &s = detail::state();
    std::string message = "deadlock: every running dataflow process waits";
    for (size_t p = 0; p < s.waitStream.size(); ++p)
      if (const StreamBase *stream = s.waitStream[p])
        message += "\n  process " + std::to_string(p) + " waits to " +
                   (s.waitWrite[p] ? "write to full" : "read from empty") +
                   " stream '" + stream->name() + "' (" +
                   std::to_string(stream->occupancy()) + " of depth " +
                   std::to_string(stream->depth()) + ")";
    detail::fail(message);
  }

  std::string name_;
  size_t depth_ = 0, peak_ = 0;
};

/// The number of streams still holding data, each reported on stderr.
inline int check_streams() {
  detail::State &s = detail::state();
  std::lock_guard<std::mutex> lock(s.mutex);
  int left = 0;
  for (const StreamBase *stream : s.streams)
    if (stream->occupancy() > 0) {
      std::fprintf(stderr,
                   "qc-hls: stream '%s' holds %zu element(s) left over\n",
                   stream->name().c_str(), stream->occupancy());
      ++left;
    }
  return left;
}

/// One line per stream: name, peak occupancy and stated depth.
inline void report_streams(std::ostream &os) {
  detail::State &s = detail::state();
  std::lock_guard<std::mutex> lock(s.mutex);
  for (const StreamBase *stream : s.streams)
    os << stream->name() << ": peak " << stream->peak() << ", depth "
       << stream->depth() << "\n";
}

/// Runs a DATAFLOW region's processes: in order, or one thread each on
/// bounded streams when QC_HLS_DATAFLOW=threads.
inline void dataflow(std::initializer_list<std::function<void()>> processes) {
  const char *mode = std::getenv("QC_HLS_DATAFLOW");
  if (!mode || std::string(mode) != "threads") {
    for (const std::function<void()> &process : processes)
      process();
    return;
  }
  detail::State &s = detail::state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.threaded = true;
    s.running = processes.size();
    s.waiting = 0;
    s.waitStream.assign(processes.size(), nullptr);
    s.waitWrite.assign(processes.size(), false);
  }
  // A process that waits while all others have returned is deadlocked
  // too: each return wakes the waiters, which recheck.
  std::vector<std::thread> threads;
  int index = 0;
  for (const std::function<void()> &process : processes) {
    threads.emplace_back([&s, process, index] {
      detail::process() = index;
      process();
      std::lock_guard<std::mutex> lock(s.mutex);
      --s.running;
      s.changed.notify_all();
    });
    ++index;
  }
  for (std::thread &thread : threads)
    thread.join();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.threaded = false;
}

} // namespace qc_hls

namespace hls {

template <typename T> class stream : public qc_hls::StreamBase {
public:
  stream() : StreamBase(nullptr) {}
  explicit stream(const char *name) : StreamBase(name) {}

  size_t occupancy() const override { return data_.size(); }

  T read() {
    std::unique_lock<std::mutex> lock(qc_hls::detail::state().mutex);
    waitFor(lock, /*write=*/false);
    T value = data_.front();
    data_.pop_front();
    qc_hls::detail::state().changed.notify_all();
    return value;
  }
  void read(T &value) { value = read(); }
  void operator>>(T &value) { value = read(); }
  bool read_nb(T &value) {
    std::lock_guard<std::mutex> lock(qc_hls::detail::state().mutex);
    if (data_.empty())
      return false;
    value = data_.front();
    data_.pop_front();
    qc_hls::detail::state().changed.notify_all();
    return true;
  }

  void write(const T &value) {
    std::unique_lock<std::mutex> lock(qc_hls::detail::state().mutex);
    waitFor(lock, /*write=*/true);
    data_.push_back(value);
    noteWrite();
  }
  void operator<<(const T &value) { write(value); }
  bool write_nb(const T &value) {
    std::lock_guard<std::mutex> lock(qc_hls::detail::state().mutex);
    if (depth() != 0 && data_.size() >= depth())
      return false;
    data_.push_back(value);
    noteWrite();
    return true;
  }

  bool empty() const {
    std::lock_guard<std::mutex> lock(qc_hls::detail::state().mutex);
    return data_.empty();
  }
  bool full() const {
    std::lock_guard<std::mutex> lock(qc_hls::detail::state().mutex);
    return depth() != 0 && data_.size() >= depth();
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(qc_hls::detail::state().mutex);
    return data_.size();
  }

private:
  std::deque<T> data_;
};

} // namespace hls

#endif // QC_RUNTIME_HLS_HLS_STREAM_H

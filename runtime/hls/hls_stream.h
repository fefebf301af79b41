//===- runtime/hls/hls_stream.h - C-simulation hls::stream ------*- C++ -*-===//
//
// qc's own C-simulation model of `hls::stream<T>`, the FIFO channel between
// the processes of an HLS dataflow region, for emitted code and testbenches
// built with an ordinary host compiler. Written from the semantics Xilinx
// UG1399 documents (REFERENCE §4): in C simulation a stream is an unbounded
// FIFO, and reading an empty one is an error.
//
// qc adds checks the vendor model lacks:
// - reading an empty stream prints the stream's name and exits(1);
// - every stream is registered, so a testbench can end with
//   qc_hls::check_streams() (leftover data) and qc_hls::report_streams()
//   (peak occupancy against the depth the emitted code declares);
// - qc_hls::dataflow() runs the processes of a dataflow region either in
//   order (the default, like the vendor's C simulation) or each in its own
//   thread with every stream bounded to its declared depth, where a state in
//   which all processes wait on streams is reported as a deadlock, naming
//   each process and the stream it waits on, and exits(1). That finds FIFO
//   depths too small for the hardware schedule, which sequential C-sim never
//   can. Threaded mode needs -pthread.
//
//===----------------------------------------------------------------------===//

#ifndef QC_RUNTIME_HLS_HLS_STREAM_H
#define QC_RUNTIME_HLS_HLS_STREAM_H

/// Lets emitted code and testbenches detect that they run on qc's shim.
#ifndef __QC_HLS_SHIM__
#define __QC_HLS_SHIM__ 1
#endif

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace qc_hls {

/// How qc_hls::dataflow runs its processes.
enum class DataflowMode {
  /// Threads when the environment has QC_HLS_DATAFLOW=threads (read at each
  /// dataflow call), else Sequential.
  Default,
  /// One after the other on the calling thread, streams unbounded.
  Sequential,
  /// One thread per process, streams bounded to their depth, deadlocks
  /// detected.
  Threads,
};

namespace detail {

class StreamBase;

/// A process of a threaded dataflow region, as deadlock reports see it.
struct Process {
  enum class State { Running, Reading, Writing, Joining, Done };
  std::string name;
  State state = State::Running;
  /// The stream a Reading or Writing process waits on.
  const StreamBase *stream = nullptr;
  /// Unfinished processes of the nested dataflow a Joining process runs.
  int liveChildren = 0;
  Process *parent = nullptr;
};

/// Process-wide simulation state. All of it is guarded by `mutex`, except
/// that `threaded` is only written while no process thread exists.
struct Runtime {
  std::mutex mutex;
  /// Signalled when a process finishes (streams have their own).
  std::condition_variable changed;
  std::vector<StreamBase *> streams;
  unsigned long nextStreamId = 0;
  /// A threaded dataflow region is running: streams block and are bounded.
  bool threaded = false;
  std::vector<std::unique_ptr<Process>> processes;
  /// Set by set_dataflow_mode.
  DataflowMode mode = DataflowMode::Default;
  /// Set once the simulation is ending on an error, to keep quiet after it.
  bool failing = false;
};

inline Runtime &runtime() {
  static Runtime r;
  return r;
}

/// The dataflow process the calling thread runs, if any.
inline thread_local Process *currentProcess = nullptr;

/// Flushes the program's output, then exits with status 1. std::exit when
/// no process thread runs; std::_Exit otherwise, since other threads are
/// blocked on the state static destructors would tear down.
[[noreturn]] inline void failExit(bool threadsRunning) {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  if (threadsRunning)
    std::_Exit(1);
  std::exit(1);
}

/// The type-independent part of a stream: name, depth, peak occupancy and
/// membership in the registry.
class StreamBase {
public:
  StreamBase(const StreamBase &) = delete;
  StreamBase &operator=(const StreamBase &) = delete;

  const std::string &name() const { return name_; }
  /// The depth the emitted code declares; 0 when it declares none.
  std::size_t depth() const { return depth_; }
  /// The most items the stream has held at once.
  std::size_t peak() const { return peak_; }
  /// Current number of items; the caller holds the runtime mutex when
  /// process threads may run.
  virtual std::size_t occupancy() const = 0;

  /// How many items a write may leave in the stream in threaded mode.
  std::size_t bound() const { return depth_ ? depth_ : SIZE_MAX; }

  /// "(2 of depth 4)" or "(3, no depth set)", for reports.
  std::string describeFill() const {
    std::string s = "(" + std::to_string(occupancy());
    if (depth_)
      return s + " of depth " + std::to_string(depth_) + ")";
    return s + ", no depth set)";
  }

protected:
  StreamBase(const char *name, std::size_t depth) : depth_(depth) {
    Runtime &rt = runtime();
    std::lock_guard<std::mutex> lock(rt.mutex);
    ++rt.nextStreamId;
    name_ = name && *name ? std::string(name)
                          : "stream_" + std::to_string(rt.nextStreamId);
    rt.streams.push_back(this);
  }

  virtual ~StreamBase() {
    Runtime &rt = runtime();
    std::lock_guard<std::mutex> lock(rt.mutex);
    rt.streams.erase(std::remove(rt.streams.begin(), rt.streams.end(), this),
                     rt.streams.end());
  }

  /// Reports leftover items of a stream being destroyed (a local FIFO that
  /// was not drained), unless check_streams() already did or the simulation
  /// is failing anyway. Derived destructors call it while the items exist.
  void warnLeftover() {
    Runtime &rt = runtime();
    std::lock_guard<std::mutex> lock(rt.mutex);
    std::size_t n = occupancy();
    if (n != 0 && !reported_ && !rt.failing)
      std::fprintf(stderr,
                   "qc-hls: warning: stream '%s' destroyed holding %zu "
                   "element(s)\n",
                   name_.c_str(), n);
  }

  void notePeak(std::size_t n) { peak_ = std::max(peak_, n); }

  /// Wakes the processes waiting on this stream, if any (the runtime mutex
  /// is held). Per-stream signals keep a wide region from waking every
  /// process at every element.
  void wakeWaiters() {
    if (waiters_ != 0)
      changed_.notify_all();
  }

  [[noreturn]] void emptyRead() const {
    Runtime &rt = runtime();
    rt.failing = true;
    std::cout.flush();
    std::fprintf(stderr, "qc-hls: read from empty stream '%s'\n",
                 name_.c_str());
    failExit(rt.threaded);
  }

  std::string name_;
  std::size_t depth_ = 0;
  std::size_t peak_ = 0;
  bool reported_ = false;
  /// Processes waiting to read or write this stream, and their signal.
  int waiters_ = 0;
  std::condition_variable changed_;

  friend int checkStreamsLocked();
  template <typename Ready>
  friend void waitFor(std::unique_lock<std::mutex> &, Process::State,
                      StreamBase &, Ready);
};

/// Whether process p can make progress now (the runtime mutex is held).
inline bool canProgress(const Process &p) {
  switch (p.state) {
  case Process::State::Running:
    return true;
  case Process::State::Reading:
    return p.stream->occupancy() != 0;
  case Process::State::Writing:
    return p.stream->occupancy() < p.stream->bound();
  case Process::State::Joining:
    return p.liveChildren == 0;
  case Process::State::Done:
    return false;
  }
  return false;
}

/// Ends the simulation if no unfinished process can progress (the runtime
/// mutex is held): every process then waits on a stream, or on a nested
/// region whose processes do.
inline void checkDeadlockLocked() {
  Runtime &rt = runtime();
  bool anyLive = false;
  for (const std::unique_ptr<Process> &p : rt.processes) {
    if (p->state == Process::State::Done)
      continue;
    anyLive = true;
    if (canProgress(*p))
      return;
  }
  if (!anyLive)
    return;
  rt.failing = true;
  std::cout.flush();
  std::fprintf(stderr, "qc-hls: deadlock: every running dataflow process "
                       "waits and none can proceed\n");
  for (const std::unique_ptr<Process> &p : rt.processes) {
    const char *name = p->name.c_str();
    switch (p->state) {
    case Process::State::Reading:
      std::fprintf(stderr,
                   "qc-hls:   process '%s' waits to read from empty stream "
                   "'%s' %s\n",
                   name, p->stream->name().c_str(),
                   p->stream->describeFill().c_str());
      break;
    case Process::State::Writing:
      std::fprintf(stderr,
                   "qc-hls:   process '%s' waits to write to full stream "
                   "'%s' %s\n",
                   name, p->stream->name().c_str(),
                   p->stream->describeFill().c_str());
      break;
    case Process::State::Joining:
      std::fprintf(stderr,
                   "qc-hls:   process '%s' waits for its nested dataflow\n",
                   name);
      break;
    case Process::State::Done:
      std::fprintf(stderr, "qc-hls:   process '%s' has finished\n", name);
      break;
    case Process::State::Running:
      break;
    }
  }
  failExit(true);
}

/// Blocks the calling process until `ready()` holds (the runtime mutex is
/// held through `lock`), recording what it waits on for deadlock reports.
template <typename Ready>
void waitFor(std::unique_lock<std::mutex> &lock, Process::State state,
             StreamBase &stream, Ready ready) {
  if (ready())
    return;
  Process *self = currentProcess;
  self->state = state;
  self->stream = &stream;
  ++stream.waiters_;
  while (!ready()) {
    checkDeadlockLocked();
    stream.changed_.wait(lock);
  }
  --stream.waiters_;
  self->state = Process::State::Running;
  self->stream = nullptr;
}

inline DataflowMode modeFromEnvironment() {
  const char *env = std::getenv("QC_HLS_DATAFLOW");
  if (env &&
      (std::strcmp(env, "threads") == 0 || std::strcmp(env, "threaded") == 0))
    return DataflowMode::Threads;
  return DataflowMode::Sequential;
}

} // namespace detail

/// The mode the next dataflow() call uses: Sequential or Threads.
inline DataflowMode dataflow_mode() {
  detail::Runtime &rt = detail::runtime();
  std::lock_guard<std::mutex> lock(rt.mutex);
  return rt.mode != DataflowMode::Default ? rt.mode
                                          : detail::modeFromEnvironment();
}

/// Overrides QC_HLS_DATAFLOW for the rest of the program (Default restores
/// it).
inline void set_dataflow_mode(DataflowMode mode) {
  detail::Runtime &rt = detail::runtime();
  std::lock_guard<std::mutex> lock(rt.mutex);
  rt.mode = mode;
}

} // namespace qc_hls

namespace hls {

/// A FIFO of T. `Depth` (Vitis' `hls::stream<T, D>`) or set_depth() records
/// the depth the emitted code declares; it bounds the stream only inside a
/// threaded qc_hls::dataflow. Not copyable, like the vendor's.
template <typename T, std::size_t Depth = 0>
class stream : public qc_hls::detail::StreamBase {
  using Base = qc_hls::detail::StreamBase;

public:
  stream() : Base(nullptr, Depth) {}
  explicit stream(const char *name) : Base(name, Depth) {}
  explicit stream(const std::string &name) : Base(name.c_str(), Depth) {}
  ~stream() override { warnLeftover(); }

  /// Appends v; in a threaded dataflow, first waits while the stream is full.
  void write(const T &v) {
    qc_hls::detail::Runtime &rt = qc_hls::detail::runtime();
    if (!rt.threaded) {
      items_.push_back(v);
      notePeak(items_.size());
      return;
    }
    std::unique_lock<std::mutex> lock(rt.mutex);
    if (qc_hls::detail::currentProcess)
      qc_hls::detail::waitFor(lock, qc_hls::detail::Process::State::Writing,
                              *this, [&] { return items_.size() < bound(); });
    items_.push_back(v);
    notePeak(items_.size());
    wakeWaiters();
  }

  /// Removes and returns the oldest item. Outside a threaded dataflow an
  /// empty stream is an error that ends the simulation; inside, the process
  /// waits for a writer.
  T read() {
    qc_hls::detail::Runtime &rt = qc_hls::detail::runtime();
    if (!rt.threaded) {
      if (items_.empty())
        emptyRead();
      return pop();
    }
    std::unique_lock<std::mutex> lock(rt.mutex);
    if (qc_hls::detail::currentProcess)
      qc_hls::detail::waitFor(lock, qc_hls::detail::Process::State::Reading,
                              *this, [&] { return !items_.empty(); });
    else if (items_.empty())
      emptyRead();
    T v = pop();
    wakeWaiters();
    return v;
  }

  void read(T &v) { v = read(); }
  void operator>>(T &v) { read(v); }
  void operator<<(const T &v) { write(v); }

  /// Reads an item if there is one; never waits or fails.
  bool read_nb(T &v) {
    qc_hls::detail::Runtime &rt = qc_hls::detail::runtime();
    std::unique_lock<std::mutex> lock(rt.mutex, std::defer_lock);
    if (rt.threaded)
      lock.lock();
    if (items_.empty())
      return false;
    v = pop();
    if (rt.threaded)
      wakeWaiters();
    return true;
  }

  /// Writes v unless the stream is full (only possible in threaded mode).
  bool write_nb(const T &v) {
    qc_hls::detail::Runtime &rt = qc_hls::detail::runtime();
    std::unique_lock<std::mutex> lock(rt.mutex, std::defer_lock);
    if (rt.threaded) {
      lock.lock();
      if (items_.size() >= bound())
        return false;
    }
    items_.push_back(v);
    notePeak(items_.size());
    if (rt.threaded)
      wakeWaiters();
    return true;
  }

  bool empty() const { return size() == 0; }

  /// Full only inside a threaded dataflow, at the stream's depth.
  bool full() const {
    qc_hls::detail::Runtime &rt = qc_hls::detail::runtime();
    if (!rt.threaded)
      return false;
    std::lock_guard<std::mutex> lock(rt.mutex);
    return items_.size() >= bound();
  }

  std::size_t size() const {
    qc_hls::detail::Runtime &rt = qc_hls::detail::runtime();
    std::unique_lock<std::mutex> lock(rt.mutex, std::defer_lock);
    if (rt.threaded)
      lock.lock();
    return items_.size();
  }

  /// Records the depth the emitted code declares (pragma HLS STREAM depth).
  void set_depth(std::size_t n) {
    qc_hls::detail::Runtime &rt = qc_hls::detail::runtime();
    std::lock_guard<std::mutex> lock(rt.mutex);
    depth_ = n;
  }

  std::size_t occupancy() const override { return items_.size(); }

private:
  T pop() {
    T v = std::move(items_.front());
    items_.pop_front();
    return v;
  }

  std::deque<T> items_;
};

} // namespace hls

namespace qc_hls {

/// Same as s.set_depth(n).
template <typename T, std::size_t D>
void set_depth(hls::stream<T, D> &s, std::size_t n) {
  s.set_depth(n);
}

namespace detail {

inline int checkStreamsLocked() {
  int count = 0;
  for (StreamBase *s : runtime().streams) {
    std::size_t n = s->occupancy();
    if (n == 0)
      continue;
    ++count;
    s->reported_ = true;
    std::fprintf(stderr, "qc-hls: stream '%s' holds %zu element(s) left over\n",
                 s->name_.c_str(), n);
  }
  return count;
}

} // namespace detail

/// Prints each live stream that still holds data, with its element count,
/// to stderr and returns how many there are; a testbench fails unless it is
/// 0.
inline int check_streams() {
  detail::Runtime &rt = detail::runtime();
  std::lock_guard<std::mutex> lock(rt.mutex);
  return detail::checkStreamsLocked();
}

/// Prints one line per live stream: "name: peak P, depth D" (D is "unset"
/// when the code declares none), flagging a peak above the depth: in
/// hardware that FIFO would have stalled its writer, which sequential C-sim
/// does not show.
inline void report_streams(std::ostream &os) {
  detail::Runtime &rt = detail::runtime();
  std::lock_guard<std::mutex> lock(rt.mutex);
  for (const detail::StreamBase *s : rt.streams) {
    os << s->name() << ": peak " << s->peak() << ", depth ";
    if (s->depth())
      os << s->depth();
    else
      os << "unset";
    if (s->depth() && s->peak() > s->depth())
      os << " (peak exceeds depth)";
    os << "\n";
  }
}

/// A dataflow process: a callable and an optional name for reports
/// (default "process N", counting from 1 in the dataflow call).
struct process {
  template <typename F,
            typename = std::enable_if_t<std::is_invocable<F &>::value>>
  process(F f) : fn(std::move(f)) {}
  template <typename F>
  process(std::string processName, F f)
      : name(std::move(processName)), fn(std::move(f)) {}

  std::string name;
  std::function<void()> fn;
};

/// Runs the processes of a dataflow region (the calls a `#pragma HLS
/// DATAFLOW` function makes). Sequential mode calls them in order. Threaded
/// mode runs each in its own thread with streams bounded to their depths and
/// returns when all have finished; when every unfinished process waits on a
/// stream, it reports the deadlock and exits(1). Regions may nest. A process
/// that polls (empty(), read_nb() or write_nb() in a loop) never counts as
/// waiting, so a region of such processes can spin instead of being
/// reported.
inline void dataflow(std::initializer_list<process> procs) {
  if (dataflow_mode() == DataflowMode::Sequential) {
    for (const process &p : procs)
      p.fn();
    return;
  }
  detail::Runtime &rt = detail::runtime();
  std::unique_lock<std::mutex> lock(rt.mutex);
  // Only the outermost region writes `threaded`: process threads read it
  // without the mutex, and none exist before it starts or after it ends.
  bool outermost = !rt.threaded;
  if (outermost)
    rt.threaded = true;
  detail::Process *parent = detail::currentProcess;
  std::vector<detail::Process *> mine;
  int index = 0;
  for (const process &p : procs) {
    ++index;
    auto proc = std::make_unique<detail::Process>();
    proc->name = !p.name.empty() ? p.name
                 : parent        ? parent->name + "/" + std::to_string(index)
                                 : "process " + std::to_string(index);
    proc->parent = parent;
    mine.push_back(proc.get());
    rt.processes.push_back(std::move(proc));
  }
  int live = static_cast<int>(mine.size());
  if (parent)
    parent->liveChildren = live;
  lock.unlock();

  std::vector<std::thread> threads;
  threads.reserve(mine.size());
  std::size_t i = 0;
  for (const process &p : procs) {
    detail::Process *self = mine[i++];
    std::function<void()> fn = p.fn;
    threads.emplace_back([self, fn, &live] {
      detail::currentProcess = self;
      fn();
      detail::Runtime &r = detail::runtime();
      std::lock_guard<std::mutex> done(r.mutex);
      self->state = detail::Process::State::Done;
      --live;
      if (self->parent)
        --self->parent->liveChildren;
      r.changed.notify_all();
      detail::checkDeadlockLocked();
    });
  }

  lock.lock();
  if (parent)
    parent->state = detail::Process::State::Joining;
  while (live != 0) {
    if (parent)
      detail::checkDeadlockLocked();
    rt.changed.wait(lock);
  }
  if (parent)
    parent->state = detail::Process::State::Running;
  lock.unlock();
  for (std::thread &t : threads)
    t.join();
  if (outermost) {
    lock.lock();
    rt.processes.clear();
    rt.threaded = false;
  }
}

/// dataflow(f, g, ...) for unnamed processes.
template <typename... F,
          typename = std::enable_if_t<(std::is_invocable<F &>::value && ...)>>
void dataflow(F &&...fs) {
  dataflow({process(std::forward<F>(fs))...});
}

} // namespace qc_hls

#endif // QC_RUNTIME_HLS_HLS_STREAM_H

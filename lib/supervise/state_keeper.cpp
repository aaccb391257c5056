#include "supervise/state_keeper.hpp"

#include <boost/asio/post.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "core/background.hpp"
#include "core/forget_unasked.hpp"
#include "core/logger.hpp"
#include "supervise/state_file.hpp"

namespace pp {

namespace asio = boost::asio;

namespace {

// The file and what was last written to it. Writes come from the I/O thread (a
// start's) and from workers (an exit's); each table snapshot is numbered as it is
// taken, and one taken earlier than the last written is dropped, so the file never
// goes back to an older table.
struct StateWriter {
  explicit StateWriter(std::string p) : path(std::move(p)) {}
  const std::string path;
  std::mutex mutex;          // one write at a time: they share the temporary file
  std::uint64_t written = 0;  // the number of the last snapshot written (under mutex)
  // The I/O thread's own.
  std::uint64_t taken = 0;  // snapshots numbered so far
  bool failing = false;
  bool due = false;  // an exit's write is posted and has not taken its snapshot

  // The error of writing snapshot `number` (the file's text), or nullopt when a
  // later one was written first.
  std::optional<std::string> write(const std::string& text, std::uint64_t number) {
    std::lock_guard lock(mutex);
    if (number < written) return std::nullopt;
    written = number;
    return write_state_text(path, text);
  }
  void report(const std::string& err) {
    if (!err.empty() && !failing)
      logger::warning(err + "; after a crash the next server will not know what this one ran");
    else if (err.empty() && failing)
      logger::info(path + " is written again");
    failing = !err.empty();
  }
};

// A worker's job: writes one snapshot.
struct WriteJob {
  std::shared_ptr<StateWriter> writer;
  std::string text;
  std::uint64_t number;
  std::optional<std::string> operator()() { return writer->write(text, number); }
};

asio::awaitable<void> write_on_worker(WorkerPool& workers, WriteJob job) {
  auto writer = job.writer;
  auto err = co_await workers.run(std::move(job));
  if (err) writer->report(*err);  // back on the I/O thread
}

// Each recorded instance's text, kept while its record stays the same (it
// changes only with a new terminal size), so that a write serializes only what
// is new and copies the rest: a start among a thousand processes serialized a
// thousand records, on the I/O thread, before the child's first line was read.
class RecordTexts {
 public:
  std::string table_text(Supervisor& sup) {
    std::vector<const std::string*> records;
    for (const auto& p : sup.list(Target{})) {
      if (!recorded(*p)) continue;
      Kept& k = kept_[p.get()];
      k.asked = true;
      const ProcessSpec& s = p->spec();
      if (k.text.empty() || k.pid != p->pid() || k.start_time != p->start_time() || k.columns != s.columns ||
          k.rows != s.rows)  // new, another instance at the same address, or resized
        k = {p->pid(), p->start_time(), s.columns, s.rows, saved_process_text(saved_process(*p)), true};
      records.push_back(&k.text);
    }
    std::string text = state_text(records);
    forget_unasked(kept_);
    return text;
  }

 private:
  struct Kept {
    int pid = 0;
    Millis start_time = 0;
    unsigned short columns = 0, rows = 0;
    std::string text;
    bool asked = false;
  };
  std::map<const Process*, Kept> kept_;
};

}  // namespace

void keep_state_file(Supervisor& sup, const std::string& state_path, WorkerPool& workers) {
  auto writer = std::make_shared<StateWriter>(state_path);
  auto texts = std::make_shared<RecordTexts>();
  auto write_now = [&sup, w = writer.get(), texts] {
    w->due = false;  // this write holds the posted one's exit too
    if (auto err = w->write(texts->table_text(sup), ++w->taken)) w->report(*err);
  };
  write_now();
  // An exit's write is posted, so it runs after what the exit set going (its
  // notification's write), and takes one snapshot for every exit before it.
  sup.on_change([&sup, &workers, writer, texts, write_now](bool record_now) {
    if (record_now) return write_now();
    if (std::exchange(writer->due, true)) return;
    asio::post(sup.executor(), [&sup, &workers, weak = std::weak_ptr<StateWriter>(writer), texts] {
      auto w = weak.lock();
      if (!w || !std::exchange(w->due, false)) return;
      run_in_background(sup.executor(), write_on_worker(workers, {w, texts->table_text(sup), ++w->taken}),
                        "writing " + w->path);
    });
  });
}

}  // namespace pp

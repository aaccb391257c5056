// Where a tool puts its processes' output (a file, or the files of a directory
// ending in a suffix), watched as it grows: how many times each of some fixed
// strings has appeared so far, summed over the files. One inotify descriptor wakes
// the caller's poll; scan() reads only what was appended since the last one.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace pp::bench {

struct Output {
  std::string dir;     // may not exist yet (persistproc creates process_logs/ at the first start)
  std::string suffix;  // the files of dir whose names end in it; a whole name picks one file
};

class OutputWatch {
 public:
  OutputWatch(std::vector<Output> outputs, std::vector<std::string> needles);
  ~OutputWatch();
  OutputWatch(const OutputWatch&) = delete;
  OutputWatch& operator=(const OutputWatch&) = delete;

  int fd() const { return in_; }  // readable when a watched directory changed
  // Drains the inotify events, then reads every file's new bytes and counts.
  void scan();
  long count(const std::string& needle) const { return counts_.at(needle); }

 private:
  struct File {
    long long pos = 0;
    std::string carry;  // the last bytes of the last read, for a needle split across two
  };
  void watch_dirs();

  std::vector<Output> outputs_;
  std::vector<std::string> needles_;
  std::map<std::string, long> counts_;
  std::map<std::string, File> files_;
  std::map<std::string, bool> watched_;  // directory -> its own watch is in place
  int in_ = -1;
};

}  // namespace pp::bench

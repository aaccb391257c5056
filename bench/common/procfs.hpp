// What /proc says about a supervisor while it works: resident memory, its peak,
// and CPU time.
#pragma once

namespace pp::bench {

// VmRSS and VmHWM (peak RSS) from /proc/<pid>/status, in KiB; -1 if unknown.
long rss_kib(int pid);
long hwm_kib(int pid);
// Resets the peak RSS (VmHWM) to the current RSS, so a later VmHWM is the peak since now.
void reset_hwm(int pid);
// User + system CPU seconds of the whole process (every thread).
double cpu_seconds(int pid);
// The same from the scheduler's own count (/proc/<pid>/task/*/schedstat), in
// nanoseconds rather than clock ticks: fine enough for a few milliseconds of work.
// Threads that have ended are no longer counted, so take both readings while the
// same threads live.
double run_seconds(int pid);

}  // namespace pp::bench

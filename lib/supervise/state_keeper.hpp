// Keeping <data-dir>/state.json up to date while the server runs, so that the next
// server can clean up after this one if it dies (docs/service.md#state-file).
#pragma once
#include <string>

#include "core/worker_pool.hpp"
#include "supervise/supervisor.hpp"

namespace pp {

// Writes the state file now and after every change of `sup`'s table from now on.
// A start's or restart's record is written before anyone hears of it. An exit's
// is written by `workers` once the exit has been told (Supervisor::on_change), so
// neither its notification nor the next answer waits for the file; the exits of
// one burst share one write, and a write never replaces a later one.
void keep_state_file(Supervisor& sup, const std::string& state_path, WorkerPool& workers);

}  // namespace pp

#include "core/worker_pool.hpp"

namespace pp {

WorkerPool::WorkerPool(std::size_t threads) : pool_(threads) {}

WorkerPool::~WorkerPool() {
  stopping_ = true;
  pool_.stop();
  pool_.join();
}

}  // namespace pp

// Whole reads and writes on a descriptor, the loops every caller would otherwise
// write again: retried on EINTR, continued after a short transfer.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pp {

// Writes all of `data` unless an error comes first. Returns the bytes written:
// fewer than data.size() means errno says why (a blocking descriptor is assumed;
// on a non-blocking one EAGAIN ends it early too).
std::size_t write_all(int fd, std::string_view data);

// Reads up to `len` bytes at `offset` into `dst`; fewer only at end of file or on
// an error (errno then says which).
std::size_t pread_full(int fd, char* dst, std::size_t len, std::uint64_t offset);

// Appends everything from the current position to end of file (or of stream) to
// `out`. False on a read error, errno set; what came before the error is kept.
bool read_to_end(int fd, std::string& out);

}  // namespace pp

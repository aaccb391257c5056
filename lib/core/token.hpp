// The bearer token that guards the server (docs/security.md#token): `<data-dir>/token`, 256
// random bits as hex, file mode 0600. The server creates it; clients read it.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace pp {

// Reads the token file, creating it first when missing. "" and an error message on failure.
std::string ensure_token(const std::string& data_dir, std::string& error);

// What a client should send: $PERSISTPROC_TOKEN, else the token file, else nothing.
std::optional<std::string> client_token(const std::string& data_dir);

// Compares in time that depends only on the lengths, not on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

std::string random_hex(std::size_t bytes);

}  // namespace pp

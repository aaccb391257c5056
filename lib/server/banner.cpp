#include "server/banner.hpp"

namespace pp::server {

std::string connect_banner(const std::string& url, const std::string& data_dir) {
  return "persistproc: long-running processes shared with your coding agents.\n"
         "\n"
         "Connect an agent:\n"
         "  Claude Code:  claude mcp add --transport http persistproc " + url + "\n"
         "  Cursor:       in ~/.cursor/mcp.json:\n"
         "                {\"mcpServers\": {\"persistproc\": {\"url\": \"" + url + "\"}}}\n"
         "  Gemini CLI:   in ~/.gemini/settings.json:\n"
         "                {\"mcpServers\": {\"persistproc\": {\"httpUrl\": \"" + url + "\"}}}\n"
         "  Any other Streamable HTTP MCP client: " + url + "\n"
         "\n"
         "Logs and data: " + data_dir + "\n";
}

std::string readiness_line(const std::string& url) { return "persistproc listening on " + url + "\n"; }

}  // namespace pp::server

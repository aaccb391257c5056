#include "server/banner.hpp"

namespace pp::server {

std::string connect_banner(const std::string& url, const std::string& data_dir, const std::string& token) {
  std::string auth = "Authorization: Bearer " + token;
  std::string headers = ", \"headers\": {\"Authorization\": \"Bearer " + token + "\"}";
  if (token.empty()) headers.clear();
  // The stdio bridge finds the server on the default port by itself; another port must be named.
  std::string stdio_port;
  if (url != "http://127.0.0.1:8947/mcp/") {
    auto colon = url.rfind(':');
    auto slash = url.find('/', colon);
    stdio_port = ", \"--port\", \"" + url.substr(colon + 1, slash - colon - 1) + "\"";
  }
  std::string out =
      "persistproc: long-running processes shared with your coding agents.\n"
      "\n"
      "Connect an agent:\n"
      // User scope: the server is there in every project, not only this directory's.
      "  Claude Code:  claude mcp add -s user --transport http persistproc " + url +
      (token.empty() ? "" : " --header \"" + auth + "\"") + "\n"
      "  Codex CLI:    codex mcp add persistproc --url " + url +
      (token.empty() ? "\n" : " --bearer-token-env-var PERSISTPROC_TOKEN\n"
                               "                with PERSISTPROC_TOKEN=" + token + " in Codex's environment\n") +
      "  Cursor:       in ~/.cursor/mcp.json:\n"
      "                {\"mcpServers\": {\"persistproc\": {\"url\": \"" + url + "\"" + headers + "}}}\n"
      "  Gemini CLI:   in ~/.gemini/settings.json (Gemini uses MCP servers only in folders you trust):\n"
      "                {\"mcpServers\": {\"persistproc\": {\"httpUrl\": \"" + url + "\"" + headers + "}}}\n"
      "  Any other Streamable HTTP MCP client: " + url + (token.empty() ? "" : " with the header " + auth) + "\n"
      "  A client that starts servers as commands (stdio), e.g. Claude Desktop:\n"
      "                {\"mcpServers\": {\"persistproc\": {\"command\": \"persistproc\", \"args\": [\"mcp\"" +
      stdio_port + "]}}}\n"
      "\n";
  out += token.empty() ? "Authentication is OFF (--no-auth): anyone who can reach this port can run commands.\n"
                       : "The token is in " + data_dir + "/token; the persistproc command line reads it from there.\n";
  out += "Logs and data: " + data_dir + "\n";
  return out;
}


}  // namespace pp::server

// Public exports of the MCP server: the tool list, the server builder and the stdio entry point.
export { MCP_TOOLS } from './tools/index.js';
export { createMcpServer, SCHEMA_URI } from './mcp-server.js';
export { registerMcpHttp } from './mcp-http.js';
export type { McpTool, ToolContext } from './tool.js';

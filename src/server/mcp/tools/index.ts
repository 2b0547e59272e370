// The MCP tools the gateway offers, in the order tools/list returns them.
import type { McpTool } from '../tool.js';
import { mamlGetRunTool } from './maml-get-run.js';
import { mamlRunTool } from './maml-run.js';
import { mamlSearchTool } from './maml-search.js';
import { mamlValidateTool } from './maml-validate.js';
import { mamlVerifyTool } from './maml-verify.js';
import { qasmSimulateTool } from './qasm-simulate.js';

export const MCP_TOOLS: readonly McpTool[] = [
  mamlValidateTool,
  mamlRunTool,
  mamlGetRunTool,
  mamlVerifyTool,
  qasmSimulateTool,
  mamlSearchTool,
];

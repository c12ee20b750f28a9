// Compiles Solidity sources with the solc pinned in package.json and writes solc's standard-JSON output.
//   node scripts/compile-contracts.mjs OUTPUT.json SOURCE.sol...
// Settings (recorded in the output under "dais_settings", and from there in every manifest): optimizer on,
// 200 runs, EVM version cancun. Exit code 1 on any compiler error, with solc's messages on stderr.
import { createRequire } from "node:module";
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { basename } from "node:path";

const require = createRequire(import.meta.url);
const solc = require("solc");

const [output, ...sources] = process.argv.slice(2);
if (!output || sources.length === 0) {
  console.error("usage: node scripts/compile-contracts.mjs OUTPUT.json SOURCE.sol...");
  process.exit(2);
}
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "evm.methodIdentifiers"] } },
};
const input = { language: "Solidity", sources: {}, settings };
for (const file of sources) input.sources[basename(file)] = { content: readFileSync(file, "utf8") };

const result = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (result.errors || []).filter((e) => e.severity === "error");
for (const e of result.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);
result.dais_settings = { compiler: `solc ${solc.version()}`, ...settings };
delete result.dais_settings.outputSelection;
const temporary = `${output}.tmp-${process.pid}`;
writeFileSync(temporary, JSON.stringify(result, null, 1));
renameSync(temporary, output);

#pragma once
// The Cancun instruction set as one X-macro: X(NAME, OPCODE, IMMEDIATE_BYTES, STACK_IN, STACK_OUT, BASE_GAS).
// BASE_GAS is the static part charged before the instruction runs (for state access: the warm cost);
// the instruction charges its dynamic part (memory, cold access, copies) itself. Everything else about an
// opcode (the traits table, the dispatch table, the names) is generated from this one list.

#define DAIS_EVM_OPCODES(X) \
  X(STOP, 0x00, 0, 0, 0, 0) \
  X(ADD, 0x01, 0, 2, 1, 3) \
  X(MUL, 0x02, 0, 2, 1, 5) \
  X(SUB, 0x03, 0, 2, 1, 3) \
  X(DIV, 0x04, 0, 2, 1, 5) \
  X(SDIV, 0x05, 0, 2, 1, 5) \
  X(MOD, 0x06, 0, 2, 1, 5) \
  X(SMOD, 0x07, 0, 2, 1, 5) \
  X(ADDMOD, 0x08, 0, 3, 1, 8) \
  X(MULMOD, 0x09, 0, 3, 1, 8) \
  X(EXP, 0x0a, 0, 2, 1, 10) \
  X(SIGNEXTEND, 0x0b, 0, 2, 1, 5) \
  X(LT, 0x10, 0, 2, 1, 3) \
  X(GT, 0x11, 0, 2, 1, 3) \
  X(SLT, 0x12, 0, 2, 1, 3) \
  X(SGT, 0x13, 0, 2, 1, 3) \
  X(EQ, 0x14, 0, 2, 1, 3) \
  X(ISZERO, 0x15, 0, 1, 1, 3) \
  X(AND, 0x16, 0, 2, 1, 3) \
  X(OR, 0x17, 0, 2, 1, 3) \
  X(XOR, 0x18, 0, 2, 1, 3) \
  X(NOT, 0x19, 0, 1, 1, 3) \
  X(BYTE, 0x1a, 0, 2, 1, 3) \
  X(SHL, 0x1b, 0, 2, 1, 3) \
  X(SHR, 0x1c, 0, 2, 1, 3) \
  X(SAR, 0x1d, 0, 2, 1, 3) \
  X(KECCAK256, 0x20, 0, 2, 1, 30) \
  X(ADDRESS, 0x30, 0, 0, 1, 2) \
  X(BALANCE, 0x31, 0, 1, 1, 100) \
  X(ORIGIN, 0x32, 0, 0, 1, 2) \
  X(CALLER, 0x33, 0, 0, 1, 2) \
  X(CALLVALUE, 0x34, 0, 0, 1, 2) \
  X(CALLDATALOAD, 0x35, 0, 1, 1, 3) \
  X(CALLDATASIZE, 0x36, 0, 0, 1, 2) \
  X(CALLDATACOPY, 0x37, 0, 3, 0, 3) \
  X(CODESIZE, 0x38, 0, 0, 1, 2) \
  X(CODECOPY, 0x39, 0, 3, 0, 3) \
  X(GASPRICE, 0x3a, 0, 0, 1, 2) \
  X(EXTCODESIZE, 0x3b, 0, 1, 1, 100) \
  X(EXTCODECOPY, 0x3c, 0, 4, 0, 100) \
  X(RETURNDATASIZE, 0x3d, 0, 0, 1, 2) \
  X(RETURNDATACOPY, 0x3e, 0, 3, 0, 3) \
  X(EXTCODEHASH, 0x3f, 0, 1, 1, 100) \
  X(BLOCKHASH, 0x40, 0, 1, 1, 20) \
  X(COINBASE, 0x41, 0, 0, 1, 2) \
  X(TIMESTAMP, 0x42, 0, 0, 1, 2) \
  X(NUMBER, 0x43, 0, 0, 1, 2) \
  X(PREVRANDAO, 0x44, 0, 0, 1, 2) \
  X(GASLIMIT, 0x45, 0, 0, 1, 2) \
  X(CHAINID, 0x46, 0, 0, 1, 2) \
  X(SELFBALANCE, 0x47, 0, 0, 1, 5) \
  X(BASEFEE, 0x48, 0, 0, 1, 2) \
  X(BLOBHASH, 0x49, 0, 1, 1, 3) \
  X(BLOBBASEFEE, 0x4a, 0, 0, 1, 2) \
  X(POP, 0x50, 0, 1, 0, 2) \
  X(MLOAD, 0x51, 0, 1, 1, 3) \
  X(MSTORE, 0x52, 0, 2, 0, 3) \
  X(MSTORE8, 0x53, 0, 2, 0, 3) \
  X(SLOAD, 0x54, 0, 1, 1, 100) \
  X(SSTORE, 0x55, 0, 2, 0, 0) \
  X(JUMP, 0x56, 0, 1, 0, 8) \
  X(JUMPI, 0x57, 0, 2, 0, 10) \
  X(PC, 0x58, 0, 0, 1, 2) \
  X(MSIZE, 0x59, 0, 0, 1, 2) \
  X(GAS, 0x5a, 0, 0, 1, 2) \
  X(JUMPDEST, 0x5b, 0, 0, 0, 1) \
  X(TLOAD, 0x5c, 0, 1, 1, 100) \
  X(TSTORE, 0x5d, 0, 2, 0, 100) \
  X(MCOPY, 0x5e, 0, 3, 0, 3) \
  X(PUSH0, 0x5f, 0, 0, 1, 2) \
  X(PUSH1, 0x60, 1, 0, 1, 3) \
  X(PUSH2, 0x61, 2, 0, 1, 3) \
  X(PUSH3, 0x62, 3, 0, 1, 3) \
  X(PUSH4, 0x63, 4, 0, 1, 3) \
  X(PUSH5, 0x64, 5, 0, 1, 3) \
  X(PUSH6, 0x65, 6, 0, 1, 3) \
  X(PUSH7, 0x66, 7, 0, 1, 3) \
  X(PUSH8, 0x67, 8, 0, 1, 3) \
  X(PUSH9, 0x68, 9, 0, 1, 3) \
  X(PUSH10, 0x69, 10, 0, 1, 3) \
  X(PUSH11, 0x6a, 11, 0, 1, 3) \
  X(PUSH12, 0x6b, 12, 0, 1, 3) \
  X(PUSH13, 0x6c, 13, 0, 1, 3) \
  X(PUSH14, 0x6d, 14, 0, 1, 3) \
  X(PUSH15, 0x6e, 15, 0, 1, 3) \
  X(PUSH16, 0x6f, 16, 0, 1, 3) \
  X(PUSH17, 0x70, 17, 0, 1, 3) \
  X(PUSH18, 0x71, 18, 0, 1, 3) \
  X(PUSH19, 0x72, 19, 0, 1, 3) \
  X(PUSH20, 0x73, 20, 0, 1, 3) \
  X(PUSH21, 0x74, 21, 0, 1, 3) \
  X(PUSH22, 0x75, 22, 0, 1, 3) \
  X(PUSH23, 0x76, 23, 0, 1, 3) \
  X(PUSH24, 0x77, 24, 0, 1, 3) \
  X(PUSH25, 0x78, 25, 0, 1, 3) \
  X(PUSH26, 0x79, 26, 0, 1, 3) \
  X(PUSH27, 0x7a, 27, 0, 1, 3) \
  X(PUSH28, 0x7b, 28, 0, 1, 3) \
  X(PUSH29, 0x7c, 29, 0, 1, 3) \
  X(PUSH30, 0x7d, 30, 0, 1, 3) \
  X(PUSH31, 0x7e, 31, 0, 1, 3) \
  X(PUSH32, 0x7f, 32, 0, 1, 3) \
  X(DUP1, 0x80, 0, 1, 2, 3) \
  X(DUP2, 0x81, 0, 2, 3, 3) \
  X(DUP3, 0x82, 0, 3, 4, 3) \
  X(DUP4, 0x83, 0, 4, 5, 3) \
  X(DUP5, 0x84, 0, 5, 6, 3) \
  X(DUP6, 0x85, 0, 6, 7, 3) \
  X(DUP7, 0x86, 0, 7, 8, 3) \
  X(DUP8, 0x87, 0, 8, 9, 3) \
  X(DUP9, 0x88, 0, 9, 10, 3) \
  X(DUP10, 0x89, 0, 10, 11, 3) \
  X(DUP11, 0x8a, 0, 11, 12, 3) \
  X(DUP12, 0x8b, 0, 12, 13, 3) \
  X(DUP13, 0x8c, 0, 13, 14, 3) \
  X(DUP14, 0x8d, 0, 14, 15, 3) \
  X(DUP15, 0x8e, 0, 15, 16, 3) \
  X(DUP16, 0x8f, 0, 16, 17, 3) \
  X(SWAP1, 0x90, 0, 2, 2, 3) \
  X(SWAP2, 0x91, 0, 3, 3, 3) \
  X(SWAP3, 0x92, 0, 4, 4, 3) \
  X(SWAP4, 0x93, 0, 5, 5, 3) \
  X(SWAP5, 0x94, 0, 6, 6, 3) \
  X(SWAP6, 0x95, 0, 7, 7, 3) \
  X(SWAP7, 0x96, 0, 8, 8, 3) \
  X(SWAP8, 0x97, 0, 9, 9, 3) \
  X(SWAP9, 0x98, 0, 10, 10, 3) \
  X(SWAP10, 0x99, 0, 11, 11, 3) \
  X(SWAP11, 0x9a, 0, 12, 12, 3) \
  X(SWAP12, 0x9b, 0, 13, 13, 3) \
  X(SWAP13, 0x9c, 0, 14, 14, 3) \
  X(SWAP14, 0x9d, 0, 15, 15, 3) \
  X(SWAP15, 0x9e, 0, 16, 16, 3) \
  X(SWAP16, 0x9f, 0, 17, 17, 3) \
  X(LOG0, 0xa0, 0, 2, 0, 375) \
  X(LOG1, 0xa1, 0, 3, 0, 750) \
  X(LOG2, 0xa2, 0, 4, 0, 1125) \
  X(LOG3, 0xa3, 0, 5, 0, 1500) \
  X(LOG4, 0xa4, 0, 6, 0, 1875) \
  X(CREATE, 0xf0, 0, 3, 1, 32000) \
  X(CALL, 0xf1, 0, 7, 1, 100) \
  X(CALLCODE, 0xf2, 0, 7, 1, 100) \
  X(RETURN, 0xf3, 0, 2, 0, 0) \
  X(DELEGATECALL, 0xf4, 0, 6, 1, 100) \
  X(CREATE2, 0xf5, 0, 4, 1, 32000) \
  X(STATICCALL, 0xfa, 0, 6, 1, 100) \
  X(REVERT, 0xfd, 0, 2, 0, 0) \
  X(INVALID, 0xfe, 0, 0, 0, 0) \
  X(SELFDESTRUCT, 0xff, 0, 1, 0, 5000)

// All 256 byte values in order, X(NAME) for a defined opcode and U(BYTE) for an undefined one: the shape
// of a dispatch table.
#define DAIS_EVM_ALL_BYTES(X, U) \
  X(STOP) X(ADD) X(MUL) X(SUB) X(DIV) X(SDIV) X(MOD) X(SMOD) \
  X(ADDMOD) X(MULMOD) X(EXP) X(SIGNEXTEND) U(0x0c) U(0x0d) U(0x0e) U(0x0f) \
  X(LT) X(GT) X(SLT) X(SGT) X(EQ) X(ISZERO) X(AND) X(OR) \
  X(XOR) X(NOT) X(BYTE) X(SHL) X(SHR) X(SAR) U(0x1e) U(0x1f) \
  X(KECCAK256) U(0x21) U(0x22) U(0x23) U(0x24) U(0x25) U(0x26) U(0x27) \
  U(0x28) U(0x29) U(0x2a) U(0x2b) U(0x2c) U(0x2d) U(0x2e) U(0x2f) \
  X(ADDRESS) X(BALANCE) X(ORIGIN) X(CALLER) X(CALLVALUE) X(CALLDATALOAD) X(CALLDATASIZE) X(CALLDATACOPY) \
  X(CODESIZE) X(CODECOPY) X(GASPRICE) X(EXTCODESIZE) X(EXTCODECOPY) X(RETURNDATASIZE) X(RETURNDATACOPY) X(EXTCODEHASH) \
  X(BLOCKHASH) X(COINBASE) X(TIMESTAMP) X(NUMBER) X(PREVRANDAO) X(GASLIMIT) X(CHAINID) X(SELFBALANCE) \
  X(BASEFEE) X(BLOBHASH) X(BLOBBASEFEE) U(0x4b) U(0x4c) U(0x4d) U(0x4e) U(0x4f) \
  X(POP) X(MLOAD) X(MSTORE) X(MSTORE8) X(SLOAD) X(SSTORE) X(JUMP) X(JUMPI) \
  X(PC) X(MSIZE) X(GAS) X(JUMPDEST) X(TLOAD) X(TSTORE) X(MCOPY) X(PUSH0) \
  X(PUSH1) X(PUSH2) X(PUSH3) X(PUSH4) X(PUSH5) X(PUSH6) X(PUSH7) X(PUSH8) \
  X(PUSH9) X(PUSH10) X(PUSH11) X(PUSH12) X(PUSH13) X(PUSH14) X(PUSH15) X(PUSH16) \
  X(PUSH17) X(PUSH18) X(PUSH19) X(PUSH20) X(PUSH21) X(PUSH22) X(PUSH23) X(PUSH24) \
  X(PUSH25) X(PUSH26) X(PUSH27) X(PUSH28) X(PUSH29) X(PUSH30) X(PUSH31) X(PUSH32) \
  X(DUP1) X(DUP2) X(DUP3) X(DUP4) X(DUP5) X(DUP6) X(DUP7) X(DUP8) \
  X(DUP9) X(DUP10) X(DUP11) X(DUP12) X(DUP13) X(DUP14) X(DUP15) X(DUP16) \
  X(SWAP1) X(SWAP2) X(SWAP3) X(SWAP4) X(SWAP5) X(SWAP6) X(SWAP7) X(SWAP8) \
  X(SWAP9) X(SWAP10) X(SWAP11) X(SWAP12) X(SWAP13) X(SWAP14) X(SWAP15) X(SWAP16) \
  X(LOG0) X(LOG1) X(LOG2) X(LOG3) X(LOG4) U(0xa5) U(0xa6) U(0xa7) \
  U(0xa8) U(0xa9) U(0xaa) U(0xab) U(0xac) U(0xad) U(0xae) U(0xaf) \
  U(0xb0) U(0xb1) U(0xb2) U(0xb3) U(0xb4) U(0xb5) U(0xb6) U(0xb7) \
  U(0xb8) U(0xb9) U(0xba) U(0xbb) U(0xbc) U(0xbd) U(0xbe) U(0xbf) \
  U(0xc0) U(0xc1) U(0xc2) U(0xc3) U(0xc4) U(0xc5) U(0xc6) U(0xc7) \
  U(0xc8) U(0xc9) U(0xca) U(0xcb) U(0xcc) U(0xcd) U(0xce) U(0xcf) \
  U(0xd0) U(0xd1) U(0xd2) U(0xd3) U(0xd4) U(0xd5) U(0xd6) U(0xd7) \
  U(0xd8) U(0xd9) U(0xda) U(0xdb) U(0xdc) U(0xdd) U(0xde) U(0xdf) \
  U(0xe0) U(0xe1) U(0xe2) U(0xe3) U(0xe4) U(0xe5) U(0xe6) U(0xe7) \
  U(0xe8) U(0xe9) U(0xea) U(0xeb) U(0xec) U(0xed) U(0xee) U(0xef) \
  X(CREATE) X(CALL) X(CALLCODE) X(RETURN) X(DELEGATECALL) X(CREATE2) U(0xf6) U(0xf7) \
  U(0xf8) U(0xf9) X(STATICCALL) U(0xfb) U(0xfc) X(REVERT) X(INVALID) X(SELFDESTRUCT)

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title UniswapV2Math — the formulas of Uniswap v2's UniswapV2Library (v2-periphery) as external functions
/// @notice For dais's conformance test of models/market/amm.cpp: the EVM's answers for random inputs are compared
///         with the C++ ones. Solidity 0.8's checked arithmetic reverts exactly where the original's SafeMath does.
contract UniswapV2Math {
    /// @notice The most `amountIn` of one asset buys of the other, with the 0.3% fee (997/1000), rounded down.
    function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) external pure returns (uint256) {
        require(amountIn > 0, "UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT");
        require(reserveIn > 0 && reserveOut > 0, "UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        uint256 inAfterFee = amountIn * 997;
        return (inAfterFee * reserveOut) / (reserveIn * 1000 + inAfterFee);
    }

    /// @notice The input that buys `amountOut`: the quotient rounded down, plus one.
    function getAmountIn(uint256 amountOut, uint256 reserveIn, uint256 reserveOut) external pure returns (uint256) {
        require(amountOut > 0, "UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT");
        require(reserveIn > 0 && reserveOut > 0, "UniswapV2Library: INSUFFICIENT_LIQUIDITY");
        return (reserveIn * amountOut * 1000) / ((reserveOut - amountOut) * 997) + 1;
    }
}

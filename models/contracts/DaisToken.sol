// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import "./RewardToken.sol";

/// @title DaisToken — an ERC-20 token whose owner mints each epoch's budget straight to contributors
/// @notice distribute() mints budget * w_i / sum(w) (rounded down) to each recipient: no claim transactions,
///         so recipients pay no gas; what rounding leaves is never minted.
contract DaisToken is RewardToken {
    constructor(string memory name_, string memory symbol_, uint256 epochBudget_)
        RewardToken(name_, symbol_, epochBudget_)
    {}

    /// @notice Mints budget * weights[i] / sum(weights) to each of `to`.
    function distribute(address[] calldata to, uint256[] calldata weights) external onlyOwner {
        uint256 total = _totalWeight(to, weights);
        uint256 budget = epochBudget;
        for (uint256 i = 0; i < to.length; ++i) {
            uint256 share = (budget * weights[i]) / total;
            if (share != 0) _mint(to[i], share);
        }
    }
}

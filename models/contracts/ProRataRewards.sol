// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import "./ClaimableRewards.sol";

/// @title ProRataRewards — workload B3 of dais (../shared/BENCH.md)
/// @notice An ERC-20 token whose owner pays each epoch's budget pro rata to weights:
///         distribute() mints the budget into this contract and credits each recipient
///         budget * w_i / sum(w) (rounded down) as claimable; claim() moves a caller's claimable
///         tokens from the contract to the caller. What rounding leaves stays in the contract.
contract ProRataRewards is ClaimableRewards {
    event Distributed(uint256 budget, uint256 recipients, uint256 credited);

    constructor(string memory name_, string memory symbol_, uint256 epochBudget_)
        ClaimableRewards(name_, symbol_, epochBudget_)
    {}

    /// @notice Mints the epoch budget into this contract and credits `to[i]` with budget * weights[i] / sum(weights).
    function distribute(address[] calldata to, uint256[] calldata weights) external onlyOwner {
        uint256 total = _totalWeight(to, weights);
        uint256 budget = _fund();
        uint256 credited = 0;
        for (uint256 i = 0; i < to.length; ++i) {
            uint256 share = (budget * weights[i]) / total;
            claimable[to[i]] += share;
            credited += share;
        }
        emit Distributed(budget, to.length, credited);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import "./RewardToken.sol";

/// @title ClaimableRewards — rewards credited by distribute() and collected by each recipient with claim()
/// @notice distribute() mints the budget into this contract (_fund) and credits recipients (claimable);
///         claim() moves the caller's credit to the caller, who pays the gas. What rounding leaves stays here.
abstract contract ClaimableRewards is RewardToken {
    /// @notice Tokens credited to an account and not yet claimed.
    mapping(address => uint256) public claimable;

    error NothingToClaim(address account);

    constructor(string memory name_, string memory symbol_, uint256 epochBudget_)
        RewardToken(name_, symbol_, epochBudget_)
    {}

    /// @notice Moves the caller's claimable tokens from this contract to the caller.
    function claim() external returns (uint256 amount) {
        amount = claimable[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        claimable[msg.sender] = 0;
        _transfer(address(this), msg.sender, amount);
    }

    /// @dev Mints the epoch budget into this contract, the pool that distribute() credits from; returns it.
    function _fund() internal returns (uint256 budget) {
        budget = epochBudget;
        _mint(address(this), budget);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import "./ClaimableRewards.sol";

/// @title StakingSlashing — rewards pro rata to stake, with slashing of unclaimed rewards
/// @notice distribute(to, stakes) mints the epoch budget into this contract and credits each staker
///         budget * stake_i / sum(stake) (rounded down) as claimable. Before stakers claim, the owner may
///         slash(account, amount): that much of the account's unclaimed reward is burned. claim() moves the
///         rest to the staker. The contract is its own ERC-20 token.
contract StakingSlashing is ClaimableRewards {
    /// @notice Everything slashed (burned) from an account so far.
    mapping(address => uint256) public slashed;

    event Slashed(address indexed account, uint256 amount);

    constructor(string memory name_, string memory symbol_, uint256 epochBudget_)
        ClaimableRewards(name_, symbol_, epochBudget_)
    {}

    /// @notice Mints the budget into this contract and credits `to[i]` with budget * stakes[i] / sum(stakes).
    function distribute(address[] calldata to, uint256[] calldata stakes) external onlyOwner {
        uint256 total = _totalWeight(to, stakes);
        uint256 budget = _fund();
        for (uint256 i = 0; i < to.length; ++i) claimable[to[i]] += (budget * stakes[i]) / total;
    }

    /// @notice Burns up to `amount` of the account's unclaimed rewards.
    function slash(address account, uint256 amount) external onlyOwner returns (uint256 burned) {
        uint256 pending = claimable[account];
        burned = amount < pending ? amount : pending;
        if (burned == 0) return 0;
        claimable[account] = pending - burned;
        slashed[account] += burned;
        _burn(address(this), burned);
        emit Slashed(account, burned);
    }
}

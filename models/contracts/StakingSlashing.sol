// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title StakingSlashing — rewards pro rata to stake, with slashing of unclaimed rewards
/// @notice distribute(to, stakes) mints the epoch budget into this contract and credits each staker
///         budget * stake_i / sum(stake) (rounded down) as claimable. Before stakers claim, the owner may
///         slash(account, amount): that much of the account's unclaimed reward is burned. claim() moves the
///         rest to the staker. The contract is its own ERC-20 token.
contract StakingSlashing {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    address public immutable owner;
    uint256 public epochBudget;
    mapping(address => uint256) public claimable;
    /// @notice Everything slashed (burned) from an account so far.
    mapping(address => uint256) public slashed;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Slashed(address indexed account, uint256 amount);

    error NotOwner(address caller);
    error LengthMismatch(uint256 recipients, uint256 stakes);
    error ZeroTotalStake();
    error NothingToClaim(address account);
    error InsufficientBalance(address account, uint256 balance, uint256 needed);

    constructor(string memory name_, string memory symbol_, uint256 epochBudget_) {
        name = name_;
        symbol = symbol_;
        owner = msg.sender;
        epochBudget = epochBudget_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    function setEpochBudget(uint256 budget) external onlyOwner {
        epochBudget = budget;
    }

    /// @notice Mints the budget into this contract and credits `to[i]` with budget * stakes[i] / sum(stakes).
    function distribute(address[] calldata to, uint256[] calldata stakes) external onlyOwner {
        if (to.length != stakes.length) revert LengthMismatch(to.length, stakes.length);
        uint256 total = 0;
        for (uint256 i = 0; i < stakes.length; ++i) total += stakes[i];
        if (total == 0) revert ZeroTotalStake();
        uint256 budget = epochBudget;
        totalSupply += budget;
        balanceOf[address(this)] += budget;
        emit Transfer(address(0), address(this), budget);
        for (uint256 i = 0; i < to.length; ++i) claimable[to[i]] += (budget * stakes[i]) / total;
    }

    /// @notice Burns up to `amount` of the account's unclaimed rewards.
    function slash(address account, uint256 amount) external onlyOwner returns (uint256 burned) {
        uint256 pending = claimable[account];
        burned = amount < pending ? amount : pending;
        if (burned == 0) return 0;
        claimable[account] = pending - burned;
        slashed[account] += burned;
        balanceOf[address(this)] -= burned;
        totalSupply -= burned;
        emit Transfer(address(this), address(0), burned);
        emit Slashed(account, burned);
    }

    function claim() external returns (uint256 amount) {
        amount = claimable[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        claimable[msg.sender] = 0;
        balanceOf[address(this)] -= amount;
        balanceOf[msg.sender] += amount;
        emit Transfer(address(this), msg.sender, amount);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        uint256 balance = balanceOf[msg.sender];
        if (balance < value) revert InsufficientBalance(msg.sender, balance, value);
        unchecked {
            balanceOf[msg.sender] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ProRataRewards — workload B3 of dais (../shared/BENCH.md)
/// @notice An ERC-20 token whose owner pays each epoch's budget pro rata to weights:
///         distribute() mints the budget into this contract and credits each recipient
///         budget * w_i / sum(w) (rounded down) as claimable; claim() moves a caller's claimable
///         tokens from the contract to the caller. What rounding leaves stays in the contract.
contract ProRataRewards {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    address public immutable owner;
    /// @notice Tokens minted by each distribute() call.
    uint256 public epochBudget;
    /// @notice Tokens credited to an account and not yet claimed.
    mapping(address => uint256) public claimable;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Distributed(uint256 budget, uint256 recipients, uint256 credited);

    error NotOwner(address caller);
    error LengthMismatch(uint256 recipients, uint256 weights);
    error ZeroTotalWeight();
    error NothingToClaim(address account);
    error InsufficientBalance(address account, uint256 balance, uint256 needed);
    error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed);

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

    /// @notice Mints the epoch budget into this contract and credits `to[i]` with budget * weights[i] / sum(weights).
    function distribute(address[] calldata to, uint256[] calldata weights) external onlyOwner {
        if (to.length != weights.length) revert LengthMismatch(to.length, weights.length);
        uint256 total = 0;
        for (uint256 i = 0; i < weights.length; ++i) total += weights[i];
        if (total == 0) revert ZeroTotalWeight();
        uint256 budget = epochBudget;
        _mint(address(this), budget);
        uint256 credited = 0;
        for (uint256 i = 0; i < to.length; ++i) {
            uint256 share = (budget * weights[i]) / total;
            claimable[to[i]] += share;
            credited += share;
        }
        emit Distributed(budget, to.length, credited);
    }

    /// @notice Moves the caller's claimable tokens from this contract to the caller.
    function claim() external returns (uint256 amount) {
        amount = claimable[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        claimable[msg.sender] = 0;
        _transfer(address(this), msg.sender, amount);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert InsufficientAllowance(from, msg.sender, allowed, value);
            allowance[from][msg.sender] = allowed - value;
        }
        _transfer(from, to, value);
        return true;
    }

    function _transfer(address from, address to, uint256 value) internal {
        uint256 balance = balanceOf[from];
        if (balance < value) revert InsufficientBalance(from, balance, value);
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }

    function _mint(address to, uint256 value) internal {
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title RewardToken — the ERC-20 token and epoch budget every dais reward contract shares
/// @notice The owner (the network, which deploys the contract) sets the budget that each epoch's distribute()
///         pays out; each contract decides how. Every movement of the token is a Transfer event, which is what
///         dais applies to its ledger.
abstract contract RewardToken {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    address public immutable owner;
    /// @notice What each distribute() call pays out, at most.
    uint256 public epochBudget;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    error NotOwner(address caller);
    error LengthMismatch(uint256 recipients, uint256 weights);
    error ZeroTotalWeight();
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

    /// @dev The sum of the weights of a distribute(to, weights) call, which must pair them one to one and not all be 0.
    function _totalWeight(address[] calldata to, uint256[] calldata weights) internal pure returns (uint256 total) {
        if (to.length != weights.length) revert LengthMismatch(to.length, weights.length);
        for (uint256 i = 0; i < weights.length; ++i) total += weights[i];
        if (total == 0) revert ZeroTotalWeight();
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

    function _burn(address from, uint256 value) internal {
        uint256 balance = balanceOf[from];
        if (balance < value) revert InsufficientBalance(from, balance, value);
        unchecked {
            balanceOf[from] = balance - value;
            totalSupply -= value;
        }
        emit Transfer(from, address(0), value);
    }
}

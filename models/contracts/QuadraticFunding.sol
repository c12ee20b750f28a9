// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import "./ClaimableRewards.sol";

/// @title QuadraticFunding — a matching pool split by quadratic funding, one round per epoch
/// @notice distribute(projects, amounts) closes a round: entry i is one donation of amounts[i] to projects[i],
///         each project's donations in one run, projects in ascending address order. The round mints the epoch
///         budget (the matching pool) into this contract and credits each project pool * M_p / sum(M) as
///         claimable (rounded down), with M_p = (sum of sqrt(c))^2 - sum(c) (Buterin, Hitzig & Weyl,
///         "Liberal Radicalism"). sqrt(c) is computed as floor(sqrt(c * 2^32)), and the M_p are shifted right
///         until their sum is below 2^62, exactly as dais's native `quadratic_funding` rule does, so the two
///         pay the same to the base unit. When no project has two donations, the pool is split pro rata to the
///         donations (linear funding). Donations are recorded, not transferred: only the pool moves tokens.
contract QuadraticFunding is ClaimableRewards {
    /// @notice Rounds closed so far.
    uint256 public rounds;

    event Matched(uint256 indexed round, address indexed project, uint256 donations, uint256 donated, uint256 matched);

    error NoDonations();
    error ZeroDonation(uint256 index);
    error ProjectsNotAscending(uint256 index, address previous, address project);

    constructor(string memory name_, string memory symbol_, uint256 epochBudget_)
        ClaimableRewards(name_, symbol_, epochBudget_)
    {}

    struct Project {
        address account;
        uint256 donations;
        uint256 donated;
        uint256 matching;
    }

    /// @notice Closes a round over these donations (see the contract's notice for the rules).
    function distribute(address[] calldata projects, uint256[] calldata amounts) external onlyOwner {
        if (projects.length != amounts.length) revert LengthMismatch(projects.length, amounts.length);
        if (projects.length == 0) revert NoDonations();
        Project[] memory tally = _tally(projects, amounts);
        uint256 totalMatching = 0;
        for (uint256 p = 0; p < tally.length; ++p) totalMatching += tally[p].matching;
        uint256 shift = 0;
        while ((totalMatching >> shift) >= (1 << 62)) ++shift;
        uint256 totalWeight = 0;
        for (uint256 p = 0; p < tally.length; ++p) totalWeight += _weight(tally[p], totalMatching, shift);

        uint256 pool = _fund();
        uint256 round = rounds++;
        for (uint256 p = 0; p < tally.length; ++p) {
            uint256 matched = (pool * _weight(tally[p], totalMatching, shift)) / totalWeight;
            claimable[tally[p].account] += matched;
            emit Matched(round, tally[p].account, tally[p].donations, tally[p].donated, matched);
        }
    }

    /// @dev One entry per project, with its donations' sums and M_p = S^2 - 2^32 * C (never negative).
    function _tally(address[] calldata projects, uint256[] calldata amounts)
        internal
        pure
        returns (Project[] memory tally)
    {
        uint256 count = 1;
        for (uint256 i = 1; i < projects.length; ++i) {
            if (projects[i] == projects[i - 1]) continue;
            if (projects[i] < projects[i - 1]) revert ProjectsNotAscending(i, projects[i - 1], projects[i]);
            ++count;
        }
        tally = new Project[](count);
        uint256 p = 0;
        uint256 rootSum = 0;
        for (uint256 i = 0; i < projects.length; ++i) {
            if (amounts[i] == 0) revert ZeroDonation(i);
            if (i > 0 && projects[i] != projects[i - 1]) {
                tally[p].matching = _matching(rootSum, tally[p].donated);
                ++p;
                rootSum = 0;
            }
            tally[p].account = projects[i];
            tally[p].donations += 1;
            tally[p].donated += amounts[i];
            rootSum += _sqrt(amounts[i] << 32);
        }
        tally[p].matching = _matching(rootSum, tally[p].donated);
    }

    function _matching(uint256 rootSum, uint256 donated) internal pure returns (uint256) {
        uint256 ideal = rootSum * rootSum;
        uint256 linear = donated << 32;
        return ideal > linear ? ideal - linear : 0;
    }

    /// @dev A project's share of the pool: its matching reduced to 62 bits, or its donations when nobody matches.
    function _weight(Project memory project, uint256 totalMatching, uint256 shift) internal pure returns (uint256) {
        return totalMatching == 0 ? project.donated : project.matching >> shift;
    }

    /// @dev floor(sqrt(x)), by Newton's method from above.
    function _sqrt(uint256 x) internal pure returns (uint256 y) {
        if (x == 0) return 0;
        uint256 z = x / 2 + 1;
        y = x;
        while (z < y) {
            y = z;
            z = (x / z + z) / 2;
        }
    }
}

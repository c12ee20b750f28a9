#pragma once
// The rpc backend: any Ethereum JSON-RPC node over HTTP (Boost.Beast), and a launcher for anvil on a free
// loopback port. Every request has a deadline: a dead or slow node is a ChainError naming the node, the
// method and what happened, never a hang.

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/chain/chain.hpp"

namespace dais::chain {

// One keep-alive HTTP connection to a JSON-RPC endpoint.
class JsonRpcClient {
 public:
  // url: "http://host:port[/path]".
  JsonRpcClient(const std::string& url, std::chrono::milliseconds timeout);
  ~JsonRpcClient();
  JsonRpcClient(const JsonRpcClient&) = delete;
  JsonRpcClient& operator=(const JsonRpcClient&) = delete;

  // The result of `method`; a transport failure, a timeout or a JSON-RPC error is a ChainError. The error's
  // `data` (revert data, for eth_call) is in ChainError's message and in last_error_data().
  nlohmann::json request(const std::string& method, nlohmann::json params);
  [[nodiscard]] const std::string& last_error_data() const noexcept { return last_error_data_; }
  [[nodiscard]] const std::string& url() const noexcept { return url_; }

 private:
  struct Connection;
  std::unique_ptr<Connection> connection_;
  std::string url_;
  std::uint64_t next_id_ = 1;
  std::string last_error_data_;
};

// A chain on a JSON-RPC node that accepts unsigned transactions from any sender (anvil with
// --auto-impersonate), mines each one at once, and takes evm_setNextBlockTimestamp (and anvil_setBalance to fund) so blocks
// follow simulated time exactly as on the embedded chain.
std::unique_ptr<Chain> make_rpc_chain(const std::string& url, std::chrono::milliseconds timeout = std::chrono::seconds(30));

// anvil started on a free loopback port with the flags dais needs (Cancun, no fees, any sender, history
// pruned), stopped when this object goes.
class AnvilNode {
 public:
  struct Options {
    std::filesystem::path binary;          // the native anvil executable npm installed (DAIS_ANVIL in the build)
    std::int64_t genesis_time = 0;         // timestamp of block 0
    std::int64_t chain_id = 31337;
    std::chrono::milliseconds startup = std::chrono::seconds(30);
  };
  explicit AnvilNode(const Options& options);
  ~AnvilNode();
  AnvilNode(const AnvilNode&) = delete;
  AnvilNode& operator=(const AnvilNode&) = delete;

  [[nodiscard]] const std::string& url() const noexcept { return url_; }
  [[nodiscard]] const std::string& version() const noexcept { return version_; }

 private:
  void stop() noexcept;
  int pid_ = -1;
  std::string url_;
  std::string version_;
  std::filesystem::path log_;
};

}  // namespace dais::chain

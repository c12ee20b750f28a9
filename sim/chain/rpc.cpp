#include "sim/chain/rpc.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "sim/chain/abi.hpp"

extern char** environ;

namespace dais::chain {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// ---- JSON-RPC over HTTP -----------------------------------------------------------------------------------

struct JsonRpcClient::Connection {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  std::string host;
  std::string port;
  std::string target;
  std::chrono::milliseconds timeout;
  bool open = false;

  // Runs the pending asynchronous operation; tcp_stream's deadline ends it with error::timeout.
  void run() {
    io.restart();
    io.run();
  }
  void close() noexcept {
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream.close();
    open = false;
  }
};

JsonRpcClient::JsonRpcClient(const std::string& url, std::chrono::milliseconds timeout)
    : connection_(std::make_unique<Connection>()), url_(url) {
  const std::string prefix = "http://";
  if (!url.starts_with(prefix)) throw ChainError(fmt::format("{}: expected an http:// URL of a JSON-RPC node", url));
  std::string rest = url.substr(prefix.size());
  const std::size_t slash = rest.find('/');
  connection_->target = slash == std::string::npos ? "/" : rest.substr(slash);
  rest = rest.substr(0, slash);
  const std::size_t colon = rest.rfind(':');
  connection_->host = rest.substr(0, colon);
  connection_->port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  connection_->timeout = timeout;
}

JsonRpcClient::~JsonRpcClient() {
  if (connection_->open) connection_->close();
}

nlohmann::json JsonRpcClient::request(const std::string& method, nlohmann::json params) {
  Connection& c = *connection_;
  const std::string body =
      nlohmann::json{{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}, {"params", std::move(params)}}.dump();
  const auto failure = [&](const std::string& what) {
    return ChainError(fmt::format("the node at {} {} ({})", url_, what, method));
  };
  for (int attempt = 0;; ++attempt) {
    const bool reused = c.open;
    beast::error_code ec;
    if (!c.open) {
      asio::ip::tcp::resolver resolver(c.io);
      const auto endpoints = resolver.resolve(c.host, c.port, ec);
      if (ec) throw failure("cannot be resolved: " + ec.message());
      c.stream.expires_after(c.timeout);
      c.stream.async_connect(endpoints, [&](beast::error_code e, const auto&) { ec = e; });
      c.run();
      if (ec) {
        c.close();
        throw failure(ec == beast::error::timeout ? fmt::format("did not accept a connection within {} ms", c.timeout.count())
                                                  : "refused the connection: " + ec.message());
      }
      c.open = true;
    }
    http::request<http::string_body> req{http::verb::post, c.target, 11};
    req.set(http::field::host, c.host);
    req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();
    http::response<http::string_body> res;
    c.stream.expires_after(c.timeout);
    http::async_write(c.stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    c.run();
    if (!ec) {
      http::async_read(c.stream, c.buffer, res, [&](beast::error_code e, std::size_t) { ec = e; });
      c.run();
    }
    if (ec) {
      c.close();
      // A kept-alive connection the node closed meanwhile: one fresh try.
      if (reused && attempt == 0 && ec != beast::error::timeout) continue;
      throw failure(ec == beast::error::timeout ? fmt::format("did not answer within {} ms", c.timeout.count())
                                                : "broke the connection: " + ec.message());
    }
    if (!res.keep_alive()) c.close();
    if (res.result() != http::status::ok)
      throw failure(fmt::format("answered HTTP {} {}", res.result_int(), std::string(res.reason())));
    nlohmann::json reply;
    try {
      reply = nlohmann::json::parse(res.body());
    } catch (const nlohmann::json::exception&) {
      throw failure("answered something that is not JSON");
    }
    if (reply.contains("error") && !reply["error"].is_null()) {
      const auto& e = reply["error"];
      last_error_data_ = e.contains("data") && e["data"].is_string() ? e["data"].get<std::string>() : std::string();
      throw failure(fmt::format("answered error {}: {}", e.value("code", 0), e.value("message", std::string("?"))));
    }
    return reply.value("result", nlohmann::json());
  }
}

// ---- the rpc chain ----------------------------------------------------------------------------------------

namespace {

std::string hex_quantity(std::int64_t n) { return uint256(static_cast<std::uint64_t>(n)).to_hex(); }
std::int64_t quantity(const nlohmann::json& v) {
  return static_cast<std::int64_t>(uint256::from_hex(v.get<std::string>()).w[0]);
}

class RpcChain final : public Chain {
 public:
  RpcChain(const std::string& url, std::chrono::milliseconds timeout) : client_(url, timeout), timeout_(timeout) {
    version_ = client_.request("web3_clientVersion", nlohmann::json::array()).get<std::string>();
    const nlohmann::json head = client_.request("eth_getBlockByNumber", {"latest", false});
    latest_ = quantity(head.at("number"));
    latest_timestamp_ = quantity(head.at("timestamp"));
  }

  std::string describe() const override { return fmt::format("rpc {} ({})", client_.url(), version_); }

  void fund(const Address& account, const uint256& wei) override {
    client_.request("anvil_setBalance", {evm::to_hex(account), wei.to_hex()});
  }

  Receipt send(const Address& from, const std::optional<Address>& to, const Bytes& data, std::int64_t /*block*/,
               std::int64_t timestamp, const uint256& value) override {
    // The node numbers blocks itself; its head should be the block before this one (it is, unless something
    // else sends it transactions), and the timestamp is ours.
    if (timestamp <= latest_timestamp_)
      throw ChainError(fmt::format("the node at {} is at timestamp {}, past {} asked for", client_.url(), latest_timestamp_,
                                   timestamp));
    client_.request("evm_setNextBlockTimestamp", {timestamp});
    latest_timestamp_ = timestamp;
    nlohmann::json tx = {{"from", evm::to_hex(from)},
                         {"data", evm::to_hex(data)},
                         {"gas", hex_quantity(transaction_gas_limit)},
                         {"gasPrice", "0x0"},
                         {"value", value.to_hex()}};
    if (to) tx["to"] = evm::to_hex(*to);
    const nlohmann::json hash = client_.request("eth_sendTransaction", {tx});
    // Mined at once, but the receipt may take a moment to appear: wait for it, within the deadline.
    nlohmann::json receipt;
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    for (auto pause = std::chrono::microseconds(100);; pause = std::min(pause * 2, std::chrono::microseconds(20'000))) {
      receipt = client_.request("eth_getTransactionReceipt", {hash});
      if (!receipt.is_null()) break;
      if (std::chrono::steady_clock::now() > deadline)
        throw ChainError(fmt::format("the node at {} mined no receipt for {} within {} ms", client_.url(), hash.dump(),
                                     timeout_.count()));
      std::this_thread::sleep_for(pause);
    }
    Receipt r;
    r.success = receipt.value("status", "0x0") == "0x1";
    r.gas_used = quantity(receipt.at("gasUsed"));
    r.block_number = quantity(receipt.at("blockNumber"));
    latest_ = r.block_number;
    if (receipt.contains("contractAddress") && receipt["contractAddress"].is_string())
      r.created = evm::address_from_hex(receipt["contractAddress"].get<std::string>());
    for (const auto& l : receipt.at("logs")) {
      evm::Log log;
      log.address = evm::address_from_hex(l.at("address").get<std::string>());
      for (const auto& t : l.at("topics")) log.topics.push_back(evm::bytes32_from_hex(t.get<std::string>()));
      log.data = evm::from_hex(l.at("data").get<std::string>());
      r.logs.push_back(std::move(log));
    }
    r.status = r.success ? "success" : "revert";
    if (!r.success) {
      // Receipts carry no revert data: replaying the call gives it. On the latest state, because the node
      // prunes history and a reverted transaction changed nothing but its sender's nonce.
      try {
        client_.request("eth_call", {tx, "latest"});
      } catch (const ChainError&) {
        r.output = client_.last_error_data().empty() ? Bytes{} : evm::from_hex(client_.last_error_data());
      }
    }
    return r;
  }

  Bytes call(const Address& from, const Address& to, const Bytes& data) override {
    try {
      return evm::from_hex(
          client_.request("eth_call", {{{"from", evm::to_hex(from)}, {"to", evm::to_hex(to)}, {"data", evm::to_hex(data)}}, "latest"})
              .get<std::string>());
    } catch (const ChainError& e) {
      if (client_.last_error_data().empty()) throw;
      throw ChainError(fmt::format("call to {} failed: {}", evm::to_hex(to),
                                   explain_revert(evm::from_hex(client_.last_error_data()))));
    }
  }

 private:
  JsonRpcClient client_;
  std::chrono::milliseconds timeout_;
  std::string version_;
  std::int64_t latest_ = 0;
  std::int64_t latest_timestamp_ = 0;
};

// A loopback port nobody listens on now (the kernel's choice).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw ChainError("cannot open a socket to find a free port");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  ::close(fd);
  if (!ok) throw ChainError("cannot find a free loopback port");
  return ntohs(address.sin_port);
}

std::string tail_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  return s.size() > 2000 ? "..." + s.substr(s.size() - 2000) : s;
}

}  // namespace

std::unique_ptr<Chain> make_rpc_chain(const std::string& url, std::chrono::milliseconds timeout) {
  return std::make_unique<RpcChain>(url, timeout);
}

// ---- anvil ------------------------------------------------------------------------------------------------

AnvilNode::AnvilNode(const Options& options) {
  if (!std::filesystem::exists(options.binary))
    throw ChainError(fmt::format("anvil is not at {} (scripts/install-deps.sh installs it from npm)", options.binary.string()));
  const int port = free_port();
  url_ = fmt::format("http://127.0.0.1:{}", port);
  log_ = std::filesystem::temp_directory_path() / fmt::format("dais-anvil-{}-{}.log", ::getpid(), port);
  std::vector<std::string> args = {options.binary.string(), "--host", "127.0.0.1", "--port", std::to_string(port),
                                   "--hardfork", "cancun", "--chain-id", std::to_string(options.chain_id),
                                   "--base-fee", "0", "--gas-price", "0", "--gas-limit", std::to_string(transaction_gas_limit),
                                   "--auto-impersonate", "--timestamp", std::to_string(options.genesis_time),
                                   "--prune-history", "--accounts", "0", "--silent"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Everything the child needs is prepared before fork: between fork and exec it may only make
  // async-signal-safe calls, since other threads of dais may hold locks.
  const int log_fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) {
    if (log_fd >= 0) ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    throw ChainError(fmt::format("cannot open {} for anvil's output: {}", log_.string(), std::strerror(errno)));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // The node dies with dais, even when dais is killed with SIGKILL: no orphaned anvil holds a port.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != parent) ::_exit(127);
    if (::dup2(null_fd, STDIN_FILENO) < 0 || ::dup2(log_fd, STDOUT_FILENO) < 0 || ::dup2(log_fd, STDERR_FILENO) < 0)
      ::_exit(127);
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  const int fork_error = errno;
  ::close(log_fd);
  ::close(null_fd);
  if (pid < 0) throw ChainError(fmt::format("cannot start {}: {}", options.binary.string(), std::strerror(fork_error)));
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + options.startup;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw ChainError(fmt::format("anvil exited at start (status {}): {}", status, tail_of(log_)));
    }
    try {
      JsonRpcClient probe(url_, std::chrono::milliseconds(500));
      version_ = probe.request("web3_clientVersion", nlohmann::json::array()).get<std::string>();
      return;
    } catch (const ChainError&) {
      if (std::chrono::steady_clock::now() > deadline) {
        stop();
        throw ChainError(fmt::format("anvil did not answer on {} within {} ms: {}", url_, options.startup.count(), tail_of(log_)));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

AnvilNode::~AnvilNode() { stop(); }

void AnvilNode::stop() noexcept {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  std::error_code ignored;
  std::filesystem::remove(log_, ignored);
}

}  // namespace dais::chain

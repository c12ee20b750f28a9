#pragma once
// The processes a batch runs on: the ranks of an MPI job when dais is built with MPI (DAIS_MPI) and started by
// mpirun, otherwise this process alone. Create one first thing in main and keep it for the program's life.

#include <memory>
#include <string>

namespace dais::batch {

class Cluster {
 public:
  // Joins the MPI job this process was started in, if there is one; a cluster of one otherwise (MPI is not
  // initialised at all then, so a plain `dais run` pays nothing for it).
  Cluster(int& argc, char**& argv);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int size() const noexcept { return size_; }
  [[nodiscard]] bool is_root() const noexcept { return rank_ == 0; }
  [[nodiscard]] bool distributed() const noexcept { return size_ > 1; }

  // True on every rank when `mine` is true on every rank (a collective: all ranks must call it). Lets ranks
  // agree that they all loaded the same batch before any of them waits on another.
  [[nodiscard]] bool all(bool mine) const;

  // Whether this build can join MPI jobs at all.
  static bool mpi_built() noexcept;

 private:
  struct Mpi;
  std::unique_ptr<Mpi> mpi_;
  int rank_ = 0;
  int size_ = 1;
  friend struct ClusterAccess;
};

}  // namespace dais::batch

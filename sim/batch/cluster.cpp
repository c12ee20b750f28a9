#include "sim/batch/cluster.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef DAIS_MPI
#include <boost/mpi/collectives/all_reduce.hpp>
#include <functional>

#include "sim/batch/mpi_cluster.hpp"
#else
namespace dais::batch {
struct Cluster::Mpi {};
}  // namespace dais::batch
#endif

namespace dais::batch {

namespace {

// mpirun (OpenMPI's, or a PMI launcher's) marks the processes it starts.
bool started_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_RANK") != nullptr;
}

}  // namespace

Cluster::Cluster([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
  if (!started_by_mpirun()) return;
#ifdef DAIS_MPI
  mpi_ = std::make_unique<Mpi>(argc, argv);
  if (mpi_->environment.thread_level() < boost::mpi::threading::serialized)
    throw std::runtime_error("the MPI library cannot serve calls from several threads (serialized level)");
  rank_ = mpi_->world.rank();
  size_ = mpi_->world.size();
#else
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (size != nullptr && std::atoi(size) > 1)
    throw std::runtime_error("this dais was built without MPI (DAIS_MPI=OFF): every rank would run the whole batch");
#endif
}

Cluster::~Cluster() = default;

bool Cluster::all(bool mine) const {
#ifdef DAIS_MPI
  if (mpi_ != nullptr) return boost::mpi::all_reduce(mpi_->world, mine, std::logical_and<bool>());
#endif
  return mine;
}

bool Cluster::mpi_built() noexcept {
#ifdef DAIS_MPI
  return true;
#else
  return false;
#endif
}

}  // namespace dais::batch

#pragma once
// The MPI side of a Cluster, for the files of dais::batch built with DAIS_MPI. Boost.MPI over OpenMPI; MPI calls
// are serialised by the caller (threading level "serialized").

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include "sim/batch/cluster.hpp"

namespace dais::batch {

struct Cluster::Mpi {
  Mpi(int& argc, char**& argv) : environment(argc, argv, boost::mpi::threading::serialized) {}
  boost::mpi::environment environment;
  boost::mpi::communicator world;
};

struct ClusterAccess {
  static boost::mpi::communicator& world(Cluster& cluster) { return cluster.mpi_->world; }
};

}  // namespace dais::batch

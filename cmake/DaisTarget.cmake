# dais_target_options(<target>): the warnings, standard and sanitizer flags every dais target shares.
function(dais_target_options target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    # Identical floating-point results whatever the compiler decides to fuse.
    -ffp-contract=off)
  # GCC 12 reports std::string concatenation at -O3 as overlapping memcpy (GCC bug 105329): a false positive.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(DAIS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(DAIS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
    # The sanitizers' instrumentation misleads GCC's flow analysis: std::regex's std::function members are then
    # reported as maybe uninitialized (GCC documents -Wmaybe-uninitialized as unreliable with -fsanitize).
    # The other builds keep the warning, so real cases are still caught.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
    endif()
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# dais_library(<name> SOURCES ... DEPS ...): one engine or model library with its dais:: alias.
# Every library's headers are included by their path from the repository root ("sim/core/sim_time.hpp").
function(dais_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(dais_${name} STATIC ${ARG_SOURCES})
  add_library(dais::${name} ALIAS dais_${name})
  target_include_directories(dais_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(dais_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  dais_target_options(dais_${name})
endfunction()

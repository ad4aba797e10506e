# Builds the conformance shim with -tags vectorpin_static and with
# -tags vectorpin_pkgconfig and runs each through the conformance runner
# (the signing and verification rules of the case file). The static binary must not need
# libvectorpin.so: it runs with no rpath and no LD_LIBRARY_PATH pointing at
# the build tree, and readelf (when present) must list no such dependency.
# Inputs: GO, SRC, OUT, ENV ("|"-separated NAME=VALUE), STATIC_LDFLAGS,
# PKG_CONFIG_PATH, RUNNER (the vectorpin program), CASES.
string(REPLACE "|" ";" env "${ENV}")
file(MAKE_DIRECTORY ${OUT})
unset(ENV{LD_LIBRARY_PATH})

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "${what}: ${out}")
endfunction()

foreach(mode static pkgconfig)
  set(exe ${OUT}/vectorpin-shim-${mode})
  if(mode STREQUAL "static")
    set(mode_env "CGO_LDFLAGS=${STATIC_LDFLAGS}")
  else()
    set(mode_env "PKG_CONFIG_PATH=${PKG_CONFIG_PATH}" "CGO_LDFLAGS=")
  endif()
  run("go build -tags vectorpin_${mode}"
      ${CMAKE_COMMAND} -E chdir ${SRC} ${CMAKE_COMMAND} -E env ${env} ${mode_env}
      ${GO} build -tags vectorpin_${mode} -o ${exe} ./cmd/vectorpin-shim)
  run("${mode} conformance" ${RUNNER} conformance --cases ${CASES} --shim ${exe} --rule 8 --rule 4.b --rule 5.5
      --fail-on-unsupported)
endforeach()

find_program(READELF readelf)
if(READELF)
  execute_process(COMMAND ${READELF} -d ${OUT}/vectorpin-shim-static OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "readelf failed on the static binary")
  endif()
  if(dyn MATCHES "libvectorpin")
    message(FATAL_ERROR "the -tags vectorpin_static binary still needs libvectorpin.so:\n${dyn}")
  endif()
  execute_process(COMMAND ${READELF} -d ${OUT}/vectorpin-shim-pkgconfig OUTPUT_VARIABLE dyn)
  if(NOT dyn MATCHES "libvectorpin")
    message(FATAL_ERROR "the -tags vectorpin_pkgconfig binary should link libvectorpin.so")
  endif()
endif()
message(STATUS "link modes: static and pkg-config builds pass")

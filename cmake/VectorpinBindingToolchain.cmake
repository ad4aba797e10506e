# vectorpin_binding_unavailable(<message>...): a binding (or tool) cannot be
# built because its toolchain is missing. A warning by default, so that a
# plain build on a partial machine still works; a configuration error with
# VECTORPIN_REQUIRE_ALL_BINDINGS=ON (what scripts/test-all.sh uses), so that
# the full test run cannot pass while silently skipping a language.
function(vectorpin_binding_unavailable)
  string(JOIN "" message ${ARGN})
  if(VECTORPIN_REQUIRE_ALL_BINDINGS)
    message(FATAL_ERROR "${message}\nVECTORPIN_REQUIRE_ALL_BINDINGS is ON: install the toolchain "
                        "(scripts/install-deps.sh), or configure with -DVECTORPIN_REQUIRE_ALL_BINDINGS=OFF "
                        "(scripts/test-all.sh: VECTORPIN_ALLOW_MISSING_BINDINGS=1) to skip it.")
  else()
    message(WARNING "${message}")
  endif()
endfunction()

# Included last (after the bindings registered their shims): one test per
# shim, and the cross-language run over all of them.
get_property(shim_langs GLOBAL PROPERTY VECTORPIN_SHIM_LANGS)
set(cross_args)
foreach(lang IN LISTS shim_langs)
  get_property(cmd GLOBAL PROPERTY VECTORPIN_SHIM_COMMAND_${lang})
  list(JOIN cmd " " shim)
  # Every operation is expected of our own shims, except the cases the
  # vectorpin program cannot express (CONFORMANCE.md, the example shim).
  set(strictness --fail-on-unsupported)
  if(lang STREQUAL "cli")
    set(strictness)
  endif()
  add_test(NAME conformance_${lang}
    COMMAND ${runner} --shim ${shim} ${strictness} --report ${reports}/${lang}.json)
  set_tests_properties(conformance_${lang} PROPERTIES LABELS "conformance;${lang}" TIMEOUT 900)
  if(lang STREQUAL "cli")
    set_tests_properties(conformance_${lang} PROPERTIES FIXTURES_REQUIRED conformance_doc_shim)
  endif()
  list(APPEND cross_args --shim ${shim})
endforeach()
add_test(NAME conformance_cross
  COMMAND $<TARGET_FILE:vectorpin_cli> conformance --cross ${cross_args}
          --records ${PROJECT_SOURCE_DIR}/testvectors/crosslang.json --report ${reports}/cross.json)
set_tests_properties(conformance_cross PROPERTIES LABELS "conformance;crosslang" FIXTURES_REQUIRED conformance_doc_shim
                     TIMEOUT 900)

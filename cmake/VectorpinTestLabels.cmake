# gtest_discover_tests cannot pass a list-valued property: LABELS "a;b" is
# expanded into LABELS a b, which gives the label a only. This writes a ctest
# include file that runs after the discovered tests are defined and gives
# every test of TARGET all of the LABELS.
#   vectorpin_label_discovered_tests(<target> <label>...)
function(vectorpin_label_discovered_tests target)
  set(file "${CMAKE_CURRENT_BINARY_DIR}/${target}_labels.cmake")
  file(WRITE "${file}"
    "foreach(t IN LISTS ${target}_TESTS)\n"
    "  set_tests_properties(\"\${t}\" PROPERTIES LABELS \"${ARGN}\")\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${file}")
endfunction()

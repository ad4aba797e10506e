# Bindings register the command that implements the interop contract of
# testvectors/README.md ("sign OUT_FILE", "verify IN_FILE..."); tests/crosslang
# turns the registrations into ctest tests once every binding is configured.
function(vectorpin_register_interop lang)
  set_property(GLOBAL APPEND PROPERTY VECTORPIN_INTEROP_LANGS ${lang})
  set_property(GLOBAL PROPERTY VECTORPIN_INTEROP_COMMAND_${lang} ${ARGN})
endfunction()

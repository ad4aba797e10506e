# Each implementation registers the command that starts its conformance shim
# (docs/CONFORMANCE.md); tests/conformance turns the registrations into ctest
# tests once every binding is configured: the case file through each shim,
# and the cross-language run through all of them.
function(vectorpin_register_shim lang)
  set_property(GLOBAL APPEND PROPERTY VECTORPIN_SHIM_LANGS ${lang})
  set_property(GLOBAL PROPERTY VECTORPIN_SHIM_COMMAND_${lang} ${ARGN})
endfunction()

# Compiles every .java file under SOURCE_DIRS and packs the classes (plus
# NATIVE_FILES, "from=name" pairs copied into NATIVE_DIR, and META_FILES,
# copied into META-INF) into OUT.
# Run with cmake -P; the sources are globbed here, at build time, because
# the SWIG output is only known once SWIG has run.
foreach(var JAVAC JAR OUT WORK SOURCE_DIRS RELEASE)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "BuildJar.cmake: ${var} is not set")
  endif()
endforeach()

# Lists arrive '|'-separated: a ';' does not survive the trip through a
# custom command intact.
string(REPLACE "|" ";" SOURCE_DIRS "${SOURCE_DIRS}")
if(DEFINED NATIVE_FILES)
  string(REPLACE "|" ";" NATIVE_FILES "${NATIVE_FILES}")
endif()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/classes)

set(sources)
foreach(dir IN LISTS SOURCE_DIRS)
  file(GLOB_RECURSE found ${dir}/*.java)
  list(APPEND sources ${found})
endforeach()
if(NOT sources)
  message(FATAL_ERROR "BuildJar.cmake: no Java sources under ${SOURCE_DIRS}")
endif()
list(SORT sources)
string(REPLACE ";" "\n" argfile "${sources}")
file(WRITE ${WORK}/sources.txt "${argfile}\n")

set(cp_args)
if(DEFINED CLASSPATH AND NOT CLASSPATH STREQUAL "")
  set(cp_args -cp ${CLASSPATH})
endif()
execute_process(
  COMMAND ${JAVAC} --release ${RELEASE} -encoding UTF-8 -Xlint:all,-serial,-processing -Werror -g
          ${cp_args} -d ${WORK}/classes @${WORK}/sources.txt
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "javac failed for ${OUT}")
endif()

if(DEFINED NATIVE_FILES AND NOT NATIVE_FILES STREQUAL "")
  file(MAKE_DIRECTORY ${WORK}/classes/${NATIVE_DIR})
  foreach(pair IN LISTS NATIVE_FILES)
    string(FIND "${pair}" "=" eq REVERSE)
    string(SUBSTRING "${pair}" 0 ${eq} from)
    math(EXPR after "${eq} + 1")
    string(SUBSTRING "${pair}" ${after} -1 name)
    # configure_file COPYONLY follows symlinks: the jar must hold the file.
    configure_file(${from} ${WORK}/classes/${NATIVE_DIR}/${name} COPYONLY)
  endforeach()
endif()

if(DEFINED META_FILES AND NOT META_FILES STREQUAL "")
  string(REPLACE "|" ";" META_FILES "${META_FILES}")
  file(COPY ${META_FILES} DESTINATION ${WORK}/classes/META-INF)
endif()

file(REMOVE ${OUT})
execute_process(COMMAND ${JAR} --create --file ${OUT} -C ${WORK}/classes . RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "jar failed for ${OUT}")
endif()

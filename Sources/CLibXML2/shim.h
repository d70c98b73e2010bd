#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Still needed with CICU as a C target: Debian's libxml2 is built with ICU, so encoding.h would
   include the system's <unicode/ucnv.h>, whose UErrorCode (ICU 72) differs from the one in
   Foundation's own ICU. A module that loads both fails to compile: without this line a clean build
   of TranslationMemory does ("'UErrorCode' has different definitions in different modules").
   The #undef drops only the ICU converter fields at the tail of xmlCharEncodingHandler, which
   Swift never touches (nor may it allocate or copy that struct, whose size it then gets wrong). */
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#endif

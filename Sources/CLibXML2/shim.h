#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
/* Debian's libxml2 is built with ICU, so encoding.h pulls in <unicode/ucnv.h>, whose enums clash
   with Foundation's own ICU headers in any Swift file that imports both. Swift never touches the
   ICU converter fields (the tail of xmlCharEncodingHandler), so hide them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/entities.h>
#endif

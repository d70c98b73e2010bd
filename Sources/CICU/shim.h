#ifndef CICU_SHIM_H
#define CICU_SHIM_H
/* System ICU (libicu-dev 72). ICU renames every C entry point with a version
   suffix (ubrk_open -> ubrk_open_72) through macros that Swift's importer does
   not see, so the functions we use are re-exported under stable names through
   static inline wrappers, compiled by clang against the suffixed symbols. */
#include <unicode/utypes.h>
#include <unicode/uversion.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uchar.h>

static inline void cicu_getVersion(UVersionInfo v) { u_getVersion(v); }
static inline const char *cicu_errorName(UErrorCode c) { return u_errorName(c); }

static inline UBreakIterator *cicu_ubrk_open(UBreakIteratorType t, const char *loc, const UChar *text, int32_t len, UErrorCode *st) { return ubrk_open(t, loc, text, len, st); }
static inline UBreakIterator *cicu_ubrk_clone(const UBreakIterator *bi, UErrorCode *st) { return ubrk_clone(bi, st); }
static inline void    cicu_ubrk_setText(UBreakIterator *bi, const UChar *text, int32_t len, UErrorCode *st) { ubrk_setText(bi, text, len, st); }
static inline void    cicu_ubrk_close(UBreakIterator *bi) { ubrk_close(bi); }
static inline int32_t cicu_ubrk_first(UBreakIterator *bi) { return ubrk_first(bi); }
static inline int32_t cicu_ubrk_next(UBreakIterator *bi) { return ubrk_next(bi); }
static inline int32_t cicu_ubrk_getRuleStatus(UBreakIterator *bi) { return ubrk_getRuleStatus(bi); }

static inline const UNormalizer2 *cicu_unorm2_getNFCInstance(UErrorCode *st) { return unorm2_getNFCInstance(st); }
static inline const UNormalizer2 *cicu_unorm2_getNFDInstance(UErrorCode *st) { return unorm2_getNFDInstance(st); }
static inline const UNormalizer2 *cicu_unorm2_getNFKCInstance(UErrorCode *st) { return unorm2_getNFKCInstance(st); }
static inline const UNormalizer2 *cicu_unorm2_getNFKCCasefoldInstance(UErrorCode *st) { return unorm2_getNFKCCasefoldInstance(st); }
static inline int32_t cicu_unorm2_normalize(const UNormalizer2 *n, const UChar *src, int32_t len, UChar *dest, int32_t cap, UErrorCode *st) { return unorm2_normalize(n, src, len, dest, cap, st); }
static inline UBool cicu_unorm2_isNormalized(const UNormalizer2 *n, const UChar *src, int32_t len, UErrorCode *st) { return unorm2_isNormalized(n, src, len, st); }

static inline int32_t cicu_u_strFoldCase(UChar *dest, int32_t cap, const UChar *src, int32_t len, UErrorCode *st) { return u_strFoldCase(dest, cap, src, len, U_FOLD_CASE_DEFAULT, st); }
static inline int32_t cicu_u_strToLower(UChar *dest, int32_t cap, const UChar *src, int32_t len, const char *locale, UErrorCode *st) { return u_strToLower(dest, cap, src, len, locale, st); }
static inline int8_t cicu_u_charType(UChar32 c) { return u_charType(c); }

static inline UTransliterator *cicu_utrans_openU(const UChar *id, int32_t idLen, UTransDirection dir, UErrorCode *st) { return utrans_openU(id, idLen, dir, NULL, -1, NULL, st); }
static inline void cicu_utrans_close(UTransliterator *t) { utrans_close(t); }
static inline void cicu_utrans_transUChars(const UTransliterator *t, UChar *text, int32_t *textLen, int32_t cap, int32_t start, int32_t *limit, UErrorCode *st) { utrans_transUChars(t, text, textLen, cap, start, limit, st); }
#endif

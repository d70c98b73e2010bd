#ifndef CICU_H
#define CICU_H
/* The part of system ICU (libicu-dev 72) that ICUSupport calls. This header declares only
   <stdint.h> types and opaque pointers and never includes ICU's own headers: Foundation carries
   a second copy of them, and both in one Swift module clash (`enum UErrorCode` twice). cicu.c
   includes ICU, whose macros map each call to its version-suffixed symbol (ubrk_open_72).

   `status` is ICU's UErrorCode: 0 for success, negative for warnings, positive for errors. As
   in ICU, a call does nothing when `*status` already holds an error. */
#include <stdint.h>

/// A UBreakIterator.
typedef struct cicu_break_iterator cicu_break_iterator;
/// A UNormalizer2; ICU owns the instances.
typedef struct cicu_normalizer cicu_normalizer;

/// UBreakIteratorType: what a break iterator splits text into.
#define CICU_BREAK_CHARACTER 0
#define CICU_BREAK_WORD 1
#define CICU_BREAK_LINE 2
#define CICU_BREAK_SENTENCE 3
/// UBRK_DONE: no boundary left.
#define CICU_BREAK_DONE (-1)
/// U_BUFFER_OVERFLOW_ERROR: the output did not fit; the call returned the length it needs.
#define CICU_BUFFER_OVERFLOW_ERROR 15

/// u_getVersion: major, minor, milli, micro.
void cicu_get_version(uint8_t version[4]);
/// u_errorName: ICU's name for a status code, such as "U_ILLEGAL_ARGUMENT_ERROR".
const char *cicu_error_name(int32_t status);

/// ubrk_open with no text; `unit` is one of CICU_BREAK_….
cicu_break_iterator *cicu_break_iterator_open(int32_t unit, const char *locale, int32_t *status);
/// ubrk_clone, which ICU documents as thread-safe.
cicu_break_iterator *cicu_break_iterator_clone(const cicu_break_iterator *iterator,
                                               int32_t *status);
void cicu_break_iterator_close(cicu_break_iterator *iterator);
/// ubrk_setText: the iterator keeps `text`, which must outlive its use.
void cicu_break_iterator_set_text(cicu_break_iterator *iterator, const uint16_t *text,
                                  int32_t length, int32_t *status);
int32_t cicu_break_iterator_first(cicu_break_iterator *iterator);
int32_t cicu_break_iterator_next(cicu_break_iterator *iterator);
/// ubrk_getRuleStatus: for words, 0–99 none, 100–199 number, 200–299 letter, …
int32_t cicu_break_iterator_rule_status(cicu_break_iterator *iterator);

const cicu_normalizer *cicu_normalizer_nfc(int32_t *status);
const cicu_normalizer *cicu_normalizer_nfd(int32_t *status);
const cicu_normalizer *cicu_normalizer_nfkc(int32_t *status);
const cicu_normalizer *cicu_normalizer_nfkc_casefold(int32_t *status);
/// unorm2_normalize: writes at most `capacity` units and returns the full length.
int32_t cicu_normalizer_normalize(const cicu_normalizer *normalizer, const uint16_t *source,
                                  int32_t length, uint16_t *destination, int32_t capacity,
                                  int32_t *status);
/// unorm2_isNormalized: 1 when `source` is already in the normalizer's form, else 0.
int32_t cicu_normalizer_is_normalized(const cicu_normalizer *normalizer, const uint16_t *source,
                                      int32_t length, int32_t *status);

/// u_strFoldCase with U_FOLD_CASE_DEFAULT; returns the full length.
int32_t cicu_fold_case(uint16_t *destination, int32_t capacity, const uint16_t *source,
                       int32_t length, int32_t *status);
/// u_strToLower with a locale's rules; returns the full length.
int32_t cicu_to_lower(uint16_t *destination, int32_t capacity, const uint16_t *source,
                      int32_t length, const char *locale, int32_t *status);
#endif

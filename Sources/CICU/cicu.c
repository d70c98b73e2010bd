#include "cicu.h"

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>
#include <unicode/uversion.h>

/* The header spells these ICU types and values without ICU's headers. UErrorCode holds negative
   values, so C compilers give it type int: the same type as int32_t, which makes the status
   pointer casts below exact. */
_Static_assert(sizeof(UErrorCode) == sizeof(int32_t), "UErrorCode is an int32_t");
_Static_assert(sizeof(UChar) == sizeof(uint16_t), "UChar is a UTF-16 code unit");
_Static_assert(CICU_BREAK_CHARACTER == UBRK_CHARACTER, "UBRK_CHARACTER");
_Static_assert(CICU_BREAK_WORD == UBRK_WORD, "UBRK_WORD");
_Static_assert(CICU_BREAK_LINE == UBRK_LINE, "UBRK_LINE");
_Static_assert(CICU_BREAK_SENTENCE == UBRK_SENTENCE, "UBRK_SENTENCE");
_Static_assert(CICU_BREAK_DONE == UBRK_DONE, "UBRK_DONE");
_Static_assert(CICU_BUFFER_OVERFLOW_ERROR == U_BUFFER_OVERFLOW_ERROR, "U_BUFFER_OVERFLOW_ERROR");

void cicu_get_version(uint8_t version[4]) { u_getVersion(version); }

const char *cicu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

cicu_break_iterator *cicu_break_iterator_open(int32_t unit, const char *locale, int32_t *status) {
  return (cicu_break_iterator *)ubrk_open((UBreakIteratorType)unit, locale, NULL, 0,
                                          (UErrorCode *)status);
}

cicu_break_iterator *cicu_break_iterator_clone(const cicu_break_iterator *iterator,
                                               int32_t *status) {
  return (cicu_break_iterator *)ubrk_clone((const UBreakIterator *)iterator, (UErrorCode *)status);
}

void cicu_break_iterator_close(cicu_break_iterator *iterator) {
  ubrk_close((UBreakIterator *)iterator);
}

void cicu_break_iterator_set_text(cicu_break_iterator *iterator, const uint16_t *text,
                                  int32_t length, int32_t *status) {
  ubrk_setText((UBreakIterator *)iterator, (const UChar *)text, length, (UErrorCode *)status);
}

int32_t cicu_break_iterator_first(cicu_break_iterator *iterator) {
  return ubrk_first((UBreakIterator *)iterator);
}

int32_t cicu_break_iterator_next(cicu_break_iterator *iterator) {
  return ubrk_next((UBreakIterator *)iterator);
}

int32_t cicu_break_iterator_rule_status(cicu_break_iterator *iterator) {
  return ubrk_getRuleStatus((UBreakIterator *)iterator);
}

const cicu_normalizer *cicu_normalizer_nfc(int32_t *status) {
  return (const cicu_normalizer *)unorm2_getNFCInstance((UErrorCode *)status);
}

const cicu_normalizer *cicu_normalizer_nfd(int32_t *status) {
  return (const cicu_normalizer *)unorm2_getNFDInstance((UErrorCode *)status);
}

const cicu_normalizer *cicu_normalizer_nfkc(int32_t *status) {
  return (const cicu_normalizer *)unorm2_getNFKCInstance((UErrorCode *)status);
}

const cicu_normalizer *cicu_normalizer_nfkc_casefold(int32_t *status) {
  return (const cicu_normalizer *)unorm2_getNFKCCasefoldInstance((UErrorCode *)status);
}

int32_t cicu_normalizer_normalize(const cicu_normalizer *normalizer, const uint16_t *source,
                                  int32_t length, uint16_t *destination, int32_t capacity,
                                  int32_t *status) {
  return unorm2_normalize((const UNormalizer2 *)normalizer, (const UChar *)source, length,
                          (UChar *)destination, capacity, (UErrorCode *)status);
}

int32_t cicu_normalizer_is_normalized(const cicu_normalizer *normalizer, const uint16_t *source,
                                      int32_t length, int32_t *status) {
  UBool normalized = unorm2_isNormalized((const UNormalizer2 *)normalizer, (const UChar *)source,
                                         length, (UErrorCode *)status);
  return normalized ? 1 : 0;
}

int32_t cicu_fold_case(uint16_t *destination, int32_t capacity, const uint16_t *source,
                       int32_t length, int32_t *status) {
  return u_strFoldCase((UChar *)destination, capacity, (const UChar *)source, length,
                       U_FOLD_CASE_DEFAULT, (UErrorCode *)status);
}

int32_t cicu_to_lower(uint16_t *destination, int32_t capacity, const uint16_t *source,
                      int32_t length, const char *locale, int32_t *status) {
  return u_strToLower((UChar *)destination, capacity, (const UChar *)source, length, locale,
                      (UErrorCode *)status);
}

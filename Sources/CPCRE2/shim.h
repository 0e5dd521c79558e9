#ifndef ELFSTATSD_CPCRE2_SHIM_H
#define ELFSTATSD_CPCRE2_SHIM_H

/* pcre2.h needs the code unit width before it is included; we only ever match bytes. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Macros that Swift cannot import (they expand to casts), as constants.
   PCRE2_UNSET is SIZE_MAX, which Swift sees as Int -1 in an ovector. */
static const uint32_t cpcre2_jit_complete = PCRE2_JIT_COMPLETE;
static const uint32_t cpcre2_utf = PCRE2_UTF;
static const uint32_t cpcre2_no_utf_check = PCRE2_NO_UTF_CHECK;
static const uint32_t cpcre2_info_namecount = PCRE2_INFO_NAMECOUNT;
static const uint32_t cpcre2_info_nameentrysize = PCRE2_INFO_NAMEENTRYSIZE;
static const uint32_t cpcre2_info_nametable = PCRE2_INFO_NAMETABLE;
static const uint32_t cpcre2_info_capturecount = PCRE2_INFO_CAPTURECOUNT;
static const int cpcre2_error_nomatch = PCRE2_ERROR_NOMATCH;

#endif

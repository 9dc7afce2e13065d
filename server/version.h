/* version — the one place the release number is written. */
#ifndef TD_VERSION_H
#define TD_VERSION_H
#define TALENTD_VERSION "0.1.0"
#endif

// Nothing to declare: this target only changes which glibc symbol version the binaries bind
// (see hypotf.c). The header exists because SwiftPM needs one for a C target.
#ifndef ELFSTATSD_GLIBC_COMPATIBILITY_H
#define ELFSTATSD_GLIBC_COMPATIBILITY_H
#endif

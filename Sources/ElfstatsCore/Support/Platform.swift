// The one place that imports the C library. elfstatsd runs on Linux with glibc (the daemon uses
// glibc-only API such as `st_mtim`, `prctl` and `pipe2`), so no other platform is claimed.
// `@_exported` makes the C library visible to every module that imports ElfstatsCore, so no
// other file repeats this import.
#if canImport(Glibc)
@_exported import Glibc
#else
#error("elfstatsd builds on Linux with glibc only")
#endif

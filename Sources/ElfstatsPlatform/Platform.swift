// The one place that imports the C library. elfstatsd runs on Linux with glibc (the daemon uses
// glibc-only API such as `st_mtim`, `prctl` and `pipe2`), so no other platform is claimed.
// `@_exported` makes the C library visible to every module that imports ElfstatsPlatform (and
// so ElfstatsCore, which re-exports it), so no other file repeats this import.
#if canImport(Glibc)
@_exported import Glibc
#else
#error("elfstatsd builds on Linux with glibc only")
#endif
// Binds glibc symbols to versions that EL 9 has (see Sources/CGlibcCompatibility/hypotf.c).
import CGlibcCompatibility
// The affinity calls glibc declares only under _GNU_SOURCE (Sources/CThreadPlacement).
@_exported import CThreadPlacement

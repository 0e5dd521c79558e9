// What a module that imports ElfstatsCore sees besides the core itself: the C library (through
// the platform shim), the configuration and the report file's syntax. They live in modules of
// their own so that the Munin plugins can read a configuration and a report without linking
// PCRE2; the daemon's code keeps writing `import ElfstatsCore` alone.
@_exported import ElfstatsPlatform
@_exported import ElfstatsConfiguration
@_exported import ElfstatsReportFormat

// ElfstatsRuntime: everything of elfstatsd that touches the machine. ElfstatsCore turns bytes
// into reports; this module decides which bytes, when, and where the results go.
//
// Files/      OpenFile (a log kept open by descriptor), FileIdentity (device + inode, how a
//             rotation by rename is noticed), SafeDirectory (every file elfstatsd writes: no
//             links followed, new files O_EXCL under random names, planted files refused),
//             AtomicFileWriter (temporary file + rename, so no reader ever sees half a report),
//             FileIO (the one read-all and write-all), Directories, SystemError (errno, operation
//             and path; its wording apart).
// Reading/    ChunkedLogReader (512 KB positional reads handed to LogAnalyzer.consume; an
//             unterminated last line waits), StartOffsetSeeker (binary search on line times for
//             the start-up offset in a multi-GB log), LineFingerprint (notices copytruncate even
//             when the file grew back past the saved offset).
// Rounds/     RoundClock (rounds at multiples of the interval since the epoch), LogPathTemplate
//             (strftime names with ?ts= and ts-name-only).
// Following/  LogFollower (one log across rounds and the three kinds of rotation),
//             DataFileProcessor (one data file's round: read, report, save, in crash-safe order).
// State/      SavedState and StateStore (offsets per data file, the pending-state protocol that
//             keeps report and offsets in step), StateDirectoryLock, CrashPoint (for tests).
// Daemon/     Daemon (the round loop, reload, stop), SignalMonitor (signals through a pipe),
//             PidFile, Detachment (fork, and the parent's verdict), UserAccount and Capabilities
//             (--user: root switches before opening any file, keeping at most
//             CAP_DAC_READ_SEARCH), ServiceNotifier (sd_notify for Type=notify).
// Logging/    DaemonLogFile (log_dir/elfstatsd.log, rotated by size) and its swift-log handler.
// Metrics/    MetricsExporter (each round's reports into the Prometheus counters, one snapshot
//             per round), MetricsListener (GET /metrics on its own poll() thread, bounded).
//
// State files (state_dir/<name>.state) are `key = value` text: the round, and the path, device,
// inode, offset and fingerprint of the file being read (and of a rotated file still being
// drained, keys prefixed `retired_`). Deleting one makes the daemon start that log over at the
// first record of the last interval (`once`: at the start of the file).

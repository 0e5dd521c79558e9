import ArgumentParser
import ElfstatsCore
import ElfstatsRuntime
import Logging

/// `elfstatsd run`: the daemon.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: every interval, one report per data file.",
        discussion: """
            Rounds start at multiples of `interval` seconds since the epoch. Each round reports, per \
            data file, the records whose time lies between the previous round start and this one, \
            then saves the offsets reached in state_dir, so that a restart continues where the last \
            report ended. Without saved offsets, a log is taken up at its first record of the last \
            interval. Logs rotated by rename + create, by copytruncate (set previous_log) or by \
            templated names are followed without losing or doubling records.

            Without --foreground the daemon detaches and this command exits once it runs (0) or \
            could not start (1, with the reason on stderr): invalid configuration, pid_dir not \
            writable, already running. It writes pid_dir/elfstatsd.pid and logs to \
            log_dir/elfstatsd.log. SIGTERM or SIGINT: finish the file in hand, save, exit 0. \
            SIGHUP: read the configuration again; a valid one applies from the next round, an \
            invalid one is logged and the old one stays.
            """
    )

    @OptionGroup var options: ConfigurationOption

    @Flag(help: "Stay in the foreground and also log to standard error.")
    var foreground = false

    @Option(help: ArgumentHelp("Run as this user once the pid file and the log file are open (needs root).", valueName: "name"))
    var user: String?

    func run() throws {
        var options = options
        // The daemon changes directory to /; relative paths in the configuration are already
        // taken relative to the file, which must itself be found again on SIGHUP.
        options.config = absolutePath(options.config)
        let configuration = try options.load()
        var account: UserAccount? = nil
        if let user {
            do { account = try UserAccount(named: user) } catch { printError("elfstatsd: \(error)"); throw ExitCode(1) }
        }
        let detachment = foreground ? nil : Detachment.detach()
        func fail(_ message: String) -> Never {
            if let detachment { detachment.fail("elfstatsd: \(message)") }
            writeToStandardError("elfstatsd: \(message)")
            Glibc.exit(1)
        }
        umask(0o022)

        // Directories made here are handed to the --user, who must remove the pid file and
        // rotate the log later.
        var createdDirectories: [String] = []
        do {
            if try Directories.create(configuration.pidDirectory, purpose: "pid_dir") { createdDirectories.append(configuration.pidDirectory) }
        } catch {
            fail("\(error); create it and make it writable by the user that starts elfstatsd")
        }
        let pidFile = PidFile(directory: configuration.pidDirectory)
        do { try pidFile.acquire() } catch { fail(error.description) }

        let logFile: DaemonLogFile
        do {
            if try Directories.create(configuration.logDirectory, purpose: "log_dir") { createdDirectories.append(configuration.logDirectory) }
            logFile = try DaemonLogFile(directory: configuration.logDirectory, settings: .init(
                level: Logger.Level(configuration.logLevel), maximumSize: Int64(configuration.maxLogFileSize),
                keptFiles: configuration.maxLogFiles, alsoToStandardError: foreground))
        } catch {
            pidFile.release()
            fail("\(error); create log_dir and make it writable by the user that starts elfstatsd")
        }
        if let account {
            for directory in createdDirectories { chown(directory, account.uid, account.gid) }
            pidFile.changeOwner(user: account.uid, group: account.gid)
            logFile.changeOwner(user: account.uid, group: account.gid)
            do { try account.become() } catch { pidFile.release(); fail(error.description) }
        }
        LoggingSystem.bootstrap { _ in DaemonLogHandler(file: logFile) }
        let logger = Logger(label: "elfstatsd")
        if let stale = pidFile.stalePid, stale != getpid() {
            logger.notice("took over the pid file \(pidFile.path) of process \(stale), which is no longer running")
        }

        let stateLock: StateDirectoryLock
        let daemon: Daemon
        do {
            stateLock = try StateDirectoryLock(directory: configuration.stateDirectory)
            let signals = try SignalMonitor()
            daemon = try Daemon(configuration: configuration, logFile: logFile, logger: logger, signals: signals)
        } catch {
            logger.critical("cannot start: \(error)")
            pidFile.release()
            fail("\(error)")
        }
        if let settings = configuration.prometheus {
            do {
                let exporter = try MetricsExporter(settings: settings, configuration: configuration, logger: logger)
                daemon.roundEnded = { exporter.roundEnded($0, configuration: $1) }
            } catch {
                logger.critical("cannot start: prometheus.listen: \(error)")
                pidFile.release()
                fail("\(configuration.path): prometheus.listen: \(error)")
            }
        } else {
            daemon.roundEnded = MetricsExporter.noteListenerAddedByReload(logger: logger)
        }
        daemon.start()
        detachment?.started()
        let status = daemon.run()
        withExtendedLifetime(stateLock) {}
        pidFile.release()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `path` made absolute against the working directory (symbolic links left as they are).
func absolutePath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let directory = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return directory == "/" ? "/" + path : directory + "/" + path
}

import ElfstatsCore
import ElfstatsRuntime
import Logging

/// `elfstatsd run`: the daemon.
struct RunCommand {
    static let description = CommandDescription(
        name: "run",
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
            invalid one is logged and the old one stays. Under systemd (Type=notify) it reports \
            READY=1, RELOADING=1 and STOPPING=1 on $NOTIFY_SOCKET.

            Started as root with --user NAME, it makes the missing pid, log and state \
            directories (for NAME), then switches to NAME before opening any file, keeping only \
            the capabilities of --capabilities (dac_read_search: read logs only root may read). \
            Started as another user (systemd's User=), it drops every capability not in \
            --capabilities. Files in those directories are used only when they are plain files \
            of that user or root with one link; a symbolic link, hard link, FIFO or a file of \
            another user there is refused with a message naming it.
            """,
        options: [ConfigurationOption.description, foregroundOption, userOption, capabilitiesOption]
    )
    static let foregroundOption = OptionDescription(long: "foreground", help: "Stay in the foreground and also log to standard error.")
    static let userOption = OptionDescription(
        long: "user", valueName: "name",
        help: "Started as root: switch to this user before opening any file, keeping only the capabilities of --capabilities.",
        completion: .user)
    static let capabilitiesOption = OptionDescription(
        long: "capabilities", valueName: "list",
        help: "Capabilities to keep once running as a user other than root: 'dac_read_search' (read every log, also those only root may read) or 'none'.",
        defaultValue: "none", completion: .words(["dac_read_search", "none"]))

    var options: ConfigurationOption
    var foreground: Bool
    var user: String?
    var capabilities: String

    init(_ arguments: ParsedArguments) {
        options = ConfigurationOption(arguments)
        foreground = arguments.isSet(Self.foregroundOption)
        user = arguments.value(of: Self.userOption)
        capabilities = arguments.value(of: Self.capabilitiesOption) ?? "none"
    }

    func run() throws {
        var options = options
        // The daemon changes directory to /; relative paths in the configuration are already
        // taken relative to the file, which must itself be found again on SIGHUP.
        options.config = absolutePath(options.config)
        let configuration = try options.load()
        let kept: CapabilitySet
        do { kept = try CapabilitySet(parsing: capabilities) } catch {
            printError("elfstatsd: \(error)")
            throw ExitStatus(64)
        }
        var account: UserAccount? = nil
        if let user {
            do { account = try UserAccount(named: user) } catch { printError("elfstatsd: \(error)"); throw ExitStatus(1) }
        }
        let detachment = foreground ? nil : Detachment.detach()
        func fail(_ message: String) -> Never {
            if let detachment { detachment.fail("elfstatsd: \(message)") }
            writeToStandardError("elfstatsd: \(message)")
            Glibc.exit(1)
        }

        // Started as root with --user (SysV init): root only makes the directories that are
        // missing, handing them to the user, and opens no file; the user opens everything.
        let handOver = account.flatMap { geteuid() == 0 ? (uid: $0.uid, gid: $0.gid) : nil }
        for directory in [configuration.pidDirectory, configuration.logDirectory, configuration.stateDirectory] {
            do { _ = try SafeDirectory.open(directory, creating: true, owner: handOver) } catch {
                fail("\(error)\(error.refusal == nil ? "; create it and make it writable by the user elfstatsd runs as" : "")")
            }
        }
        do {
            if let account {
                try account.become(keeping: kept)
            } else if geteuid() != 0 {
                // Under systemd (User=): give up whatever capability was granted and not asked for.
                try Privileges.limit(to: kept)
            }
        } catch {
            fail(error.description)
        }

        let pidFile = PidFile(directory: configuration.pidDirectory)
        do { try pidFile.acquire() } catch { fail(error.description) }

        let logFile: DaemonLogFile
        do {
            logFile = try DaemonLogFile(directory: configuration.logDirectory, settings: .init(
                level: Logger.Level(configuration.logLevel), maximumSize: Int64(configuration.maxLogFileSize),
                keptFiles: configuration.maxLogFiles, alsoToStandardError: foreground))
        } catch {
            pidFile.release()
            fail("\(error)\(error.refusal == nil ? "; make log_dir writable by the user elfstatsd runs as" : "")")
        }
        LoggingSystem.bootstrap { _ in DaemonLogHandler(file: logFile) }
        let logger = Logger(label: "elfstatsd")
        logger.notice("running as uid \(getuid()) gid \(getgid()), capabilities \(Privileges.effective().description)")
        // The JIT needs memory that is writable, then executable: a sandbox that forbids it
        // (systemd's MemoryDenyWriteExecute=yes) makes every regex run in PCRE2's interpreter.
        if let pattern = configuration.validRequests.first, let regex = try? PCRE2Regex(pattern) {
            if regex.isJITCompiled {
                logger.notice("PCRE2 JIT on")
            } else {
                logger.warning("PCRE2 JIT off: regexes run in PCRE2's interpreter, which costs CPU; the JIT needs writable-then-executable memory (drop MemoryDenyWriteExecute= from the service)")
            }
        }
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
        if status != 0 { throw ExitStatus(status) }
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

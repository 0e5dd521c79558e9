// swift-tools-version: 6.0
//
// elfstatsd: turns web-server access logs into Munin graphs.
//
// The layout is a picture of the architecture:
//   CPCRE2           the system PCRE2 library (libpcre2-8), seen from Swift
//   ElfstatsPlatform the C library (glibc), imported in one place; CGlibcCompatibility keeps old glibc symbol versions;
//                    CThreadPlacement reaches the CPU affinity calls
//   ElfstatsConfiguration  the configuration file's text -> Configuration (regexes and formats as written)
//   ElfstatsReportFormat   the report file's syntax, shared by the daemon and the Munin plugins
//   ElfstatsCore     bytes of log lines -> records -> statistics -> report text; no clocks, files or processes
//   ElfstatsRuntime  everything that touches the machine: log files, offsets, rounds, the daemon's own log
//   ElfstatsPrometheus  reports -> Prometheus counters and exposition text (the listener is in ElfstatsRuntime)
//   elfstatsd        the daemon and its command line
//   ElfstatsMunin    reports -> Munin graphs (config and fetch output)
//   elfstatsm        the Munin plugins, one multi-call binary
import PackageDescription

let package = Package(
    name: "elfstatsd",
    products: [
        .executable(name: "elfstatsd", targets: ["elfstatsd"]),
        .executable(name: "elfstatsm", targets: ["elfstatsm"]),
        .library(name: "ElfstatsCore", targets: ["ElfstatsCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .yum(["pcre2-devel"])]
        ),
        .target(name: "CGlibcCompatibility"),
        // The CPU affinity calls glibc declares only under _GNU_SOURCE (`once --jobs N`).
        .target(name: "CThreadPlacement"),
        .target(name: "ElfstatsPlatform", dependencies: ["CGlibcCompatibility", "CThreadPlacement"]),
        .target(name: "ElfstatsConfiguration", dependencies: ["ElfstatsPlatform"]),
        .target(name: "ElfstatsReportFormat"),
        .target(
            name: "ElfstatsCore",
            dependencies: ["CPCRE2", "ElfstatsPlatform", "ElfstatsConfiguration", "ElfstatsReportFormat"]
        ),
        .target(
            name: "ElfstatsRuntime",
            dependencies: ["ElfstatsCore", "ElfstatsPrometheus", .product(name: "Logging", package: "swift-log")]
        ),
        // Prometheus exposition format and the counters made from the reports; no sockets.
        .target(name: "ElfstatsPrometheus", dependencies: ["ElfstatsCore"]),
        .executableTarget(
            name: "elfstatsd",
            dependencies: [
                "ElfstatsCore", "ElfstatsRuntime",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Without ElfstatsCore, so the plugins do not link PCRE2: they read names and paths only.
        .target(name: "ElfstatsMunin", dependencies: ["ElfstatsConfiguration", "ElfstatsReportFormat"]),
        .executableTarget(name: "elfstatsm", dependencies: ["ElfstatsMunin", "ElfstatsPlatform"]),
        // Fixtures are read from the source tree (#filePath), so they are not bundled.
        .testTarget(name: "ElfstatsCoreTests", dependencies: ["ElfstatsCore"], exclude: ["Fixtures"]),
        .testTarget(name: "ElfstatsRuntimeTests", dependencies: ["ElfstatsRuntime", "ElfstatsCore"]),
        .testTarget(name: "ElfstatsPrometheusTests", dependencies: ["ElfstatsPrometheus", "ElfstatsCore"]),
        .testTarget(name: "ElfstatsMuninTests", dependencies: ["ElfstatsMunin", "ElfstatsCore"], exclude: ["Fixtures"]),
        // The command line of elfstatsd (parser, help, errors), tested through the executable's module.
        .testTarget(name: "ElfstatsdTests", dependencies: ["elfstatsd"]),
    ]
)

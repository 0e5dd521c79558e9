/// The version of elfstatsd, written into every report (`daemon_version`) and printed by `--version`.
public let elfstatsVersion = "2.0.0"

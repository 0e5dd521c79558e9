/// The lines munin-node-configure looks for in every file of the plugin directory. It reads a
/// binary as text split at `\n` and takes the family up to the next whitespace, so each value must
/// be followed by a newline in the binary's bytes (a C string's NUL would become part of the value).
/// The executable prints this text for `elfstatsm markers`, which also keeps it in the binary.
public let muninMagicMarkers = "\n#%# family=auto\n#%# capabilities=autoconf suggest\n"

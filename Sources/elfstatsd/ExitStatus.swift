/// Ends a command with this exit status; the reason has been printed already.
struct ExitStatus: Error, Equatable {
    var code: Int32

    init(_ code: Int32) {
        self.code = code
    }
}

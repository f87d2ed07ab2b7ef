/// The arguments of the local run commands (`pinn train`, `pinn classify`): `SPEC.json --out DIR [--quiet]`.
struct SpecRunArguments {
    let specPath: String
    let outDir: String
    let quiet: Bool

    /// `standardInput`: whether `-` may stand for the spec (read from standard input).
    init(_ arguments: [String], command: String, standardInput: Bool) throws {
        var specPath: String?, outDir: String?, quiet = false
        var args = arguments.makeIterator()
        while let arg = args.next() {
            switch arg {
            case "--out": outDir = args.next()
            case "--quiet": quiet = true
            default:
                guard specPath == nil, !arg.hasPrefix("--") || (standardInput && arg == "-") else {
                    throw CommandError("unexpected argument \(arg)\n" + PinnCommand.usage)
                }
                specPath = arg
            }
        }
        guard let specPath, let outDir else { throw CommandError("\(command) needs SPEC.json and --out DIR\n" + PinnCommand.usage) }
        (self.specPath, self.outDir, self.quiet) = (specPath, outDir, quiet)
    }
}

/// Why `HTTPServer.start()` failed, worded for the operator who has to fix the configuration.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

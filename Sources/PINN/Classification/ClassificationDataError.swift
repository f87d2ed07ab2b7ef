/// What can be wrong with a classification data set on disk: each message names the file and what to do.
public enum ClassificationDataError: Error, Equatable, CustomStringConvertible {
    /// The file is not there (the Debian package `dataset-fashion-mnist` provides it).
    case missing(file: String, hint: String)
    /// The gzip layer or the IDX header or body is malformed.
    case corrupt(file: String, reason: String)
    /// Images and labels disagree (counts), or the labels leave the class range.
    case inconsistent(String)

    public var description: String {
        switch self {
        case let .missing(file, hint): "\(file): no such file (\(hint))"
        case let .corrupt(file, reason): "\(file): \(reason)"
        case let .inconsistent(message): message
        }
    }
}

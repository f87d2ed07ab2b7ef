import Foundation

/// Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 70,000 28×28 grey-scale images of clothing in 10 classes,
/// 60,000 for training and 10,000 for testing, as gzip'd IDX files. Debian's package `dataset-fashion-mnist`
/// installs them in `defaultDirectory` (scripts/install-dependencies.sh installs the package).
public enum FashionMNIST {
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    public static let classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    public enum Split: String, Sendable, CaseIterable {
        case train
        case test

        var prefix: String { self == .train ? "train" : "t10k" }
        public var imagesFile: String { "\(prefix)-images-idx3-ubyte.gz" }
        public var labelsFile: String { "\(prefix)-labels-idx1-ubyte.gz" }
    }

    /// Reads one split from `directory` (the gzip'd files, or the same names without `.gz`).
    public static func load(_ split: Split, directory: String = defaultDirectory) throws -> LabelledImages {
        let images = try readIDX(directory, split.imagesFile)
        let labels = try readIDX(directory, split.labelsFile)
        return try LabelledImages(images: images.file, labels: labels.file, classes: classes.count,
                                  imagesName: images.path, labelsName: labels.path)
    }

    static func readIDX(_ directory: String, _ name: String) throws -> (file: IDXFile, path: String) {
        let gzipped = (directory as NSString).appendingPathComponent(name)
        let plain = String(gzipped.dropLast(3))
        guard let path = [gzipped, plain].first(where: FileManager.default.fileExists(atPath:)),
              let data = FileManager.default.contents(atPath: path) else {
            throw ClassificationDataError.missing(
                file: gzipped, hint: "install Debian's dataset-fashion-mnist (scripts/install-dependencies.sh) or name another directory in problem.data")
        }
        let bytes = try GzipDecoder.decompress([UInt8](data), name: path)
        return (try IDXFile(bytes: bytes, name: path), path)
    }
}

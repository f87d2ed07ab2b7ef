import Foundation
import Testing
import PINN

/// The dataset loader against Fashion-MNIST's published IDX headers and labels (Debian's `dataset-fashion-mnist`,
/// installed by scripts/install-dependencies.sh), and against small IDX files written here for the error paths.
@Suite struct FashionMNISTTests {
    static let directory = FashionMNIST.defaultDirectory

    /// The gzip'd file's header, read by the engine's own decoder: magic, then the dimensions, big-endian.
    func header(_ name: String, words: Int) throws -> [UInt32] {
        let data = try #require(FileManager.default.contents(atPath: "\(Self.directory)/\(name)"),
                                "\(Self.directory)/\(name) is missing: run scripts/install-dependencies.sh (dataset-fashion-mnist)")
        let bytes = try GzipDecoder.decompress([UInt8](data), name: name)
        return (0..<words).map { w in bytes[4 * w..<4 * w + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
    }

    @Test func headersCarryTheIDXMagicNumbersAndCounts() throws {
        #expect(try header(FashionMNIST.Split.train.imagesFile, words: 4) == [0x0000_0803, 60_000, 28, 28])
        #expect(try header(FashionMNIST.Split.train.labelsFile, words: 2) == [0x0000_0801, 60_000])
        #expect(try header(FashionMNIST.Split.test.imagesFile, words: 4) == [0x0000_0803, 10_000, 28, 28])
        #expect(try header(FashionMNIST.Split.test.labelsFile, words: 2) == [0x0000_0801, 10_000])
    }

    @Test func loadsBothSplitsWithTheirShapes() throws {
        let training = try FashionMNIST.load(.train)
        let test = try FashionMNIST.load(.test)
        #expect((training.count, training.rows, training.columns, training.classes) == (60_000, 28, 28, 10))
        #expect((test.count, test.rows, test.columns) == (10_000, 28, 28))
        #expect(training.pixels.count == 60_000 * 784 && test.pixels.count == 10_000 * 784)
        // Balanced classes: 6,000 training and 1,000 test images each (the dataset's documentation).
        for c in 0..<10 {
            #expect(training.labels.filter { $0 == c }.count == 6_000)
            #expect(test.labels.filter { $0 == c }.count == 1_000)
        }
    }

    /// The first training labels as Zalando's README and every Fashion-MNIST loader show them: ankle boot, T-shirt,
    /// T-shirt, dress, T-shirt, pullover, sneaker, pullover, sandal, sandal.
    @Test func firstTrainingLabelsAreTheKnownOnes() throws {
        let training = try FashionMNIST.load(.train)
        #expect(training.labels.prefix(10).map(Int.init) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        #expect(FashionMNIST.classes[Int(training.labels[0])] == "Ankle boot")
        // Pixels are 0…255 with a black background: the first image's corners are 0, and it is not empty.
        let first = training.pixels.prefix(784)
        #expect(first.first == 0 && first.last == 0 && first.contains { $0 > 200 })
    }

    // MARK: - Synthetic IDX files: parsing and its errors

    static func write(_ bytes: [UInt8], gzip: Bool) throws -> (directory: String, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/labels.idx"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        if gzip {
            let status = Process()
            status.executableURL = URL(fileURLWithPath: "/bin/gzip")
            status.arguments = ["-n", path]
            try status.run()
            status.waitUntilExit()
            return (directory, path + ".gz")
        }
        return (directory, path)
    }

    @Test func parsesAHandWrittenFile() throws {
        let bytes: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3] + Array(1...12)
        let file = try IDXFile(bytes: bytes, name: "tiny")
        #expect(file.dimensions == [2, 2, 3])
        #expect(file.values == Array(1...12))
        #expect(file.bytes == bytes)
    }

    @Test func readsAGzipFileWrittenByGzip() throws {
        let labels = IDXFile(dimensions: [5], values: [3, 1, 4, 1, 5])
        let (directory, path) = try Self.write(labels.bytes, gzip: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = try GzipDecoder.decompress([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), name: path)
        #expect(try IDXFile(bytes: bytes, name: path) == labels)
    }

    @Test func badMagicNumberIsNamed() {
        let bytes: [UInt8] = [0, 0, 0x0D, 1, 0, 0, 0, 1, 7]   // type 0x0D (float), not unsigned bytes
        #expect(throws: ClassificationDataError.corrupt(
            file: "bad.idx", reason: "bad magic number 0x00000D01: an IDX file of unsigned bytes starts 0x0000080N, N = rank 1–4")) {
            try IDXFile(bytes: bytes, name: "bad.idx")
        }
    }

    @Test func truncatedBodyIsNamed() {
        let bytes: [UInt8] = [0, 0, 8, 1, 0, 0, 0, 4, 1, 2]
        #expect(throws: ClassificationDataError.corrupt(
            file: "short.idx", reason: "the header declares 4 = 4 values, the file holds 2 (truncated file)")) {
            try IDXFile(bytes: bytes, name: "short.idx")
        }
        #expect(throws: ClassificationDataError.corrupt(
            file: "head.idx", reason: "truncated header: rank 3 needs 16 bytes, the file has 10")) {
            try IDXFile(bytes: [0, 0, 8, 3, 0, 0, 0, 1, 0, 0], name: "head.idx")
        }
    }

    @Test func truncatedGzipStreamIsNamed() throws {
        let (directory, path) = try Self.write(IDXFile(dimensions: [600], values: (0..<600).map { UInt8($0 % 10) }).bytes, gzip: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(throws: ClassificationDataError.corrupt(file: "cut.gz", reason: "the gzip stream ends early (truncated file)")) {
            try GzipDecoder.decompress(Array(whole.prefix(whole.count / 2)), name: "cut.gz")
        }
    }

    @Test func missingDirectoryNamesThePackage() {
        #expect {
            try FashionMNIST.load(.test, directory: "/nonexistent")
        } throws: { error in
            "\(error)".contains("/nonexistent/t10k-images-idx3-ubyte.gz: no such file") && "\(error)".contains("dataset-fashion-mnist")
        }
    }

    @Test func labelsOutsideTheClassesAreRefused() {
        let images = IDXFile(dimensions: [1, 1, 1], values: [0])
        let labels = IDXFile(dimensions: [1], values: [12])
        #expect(throws: ClassificationDataError.corrupt(file: "l", reason: "label 12 at index 0 is not a class 0…9")) {
            try LabelledImages(images: images, labels: labels, classes: 10, imagesName: "i", labelsName: "l")
        }
    }
}

/// A set of grey-scale images with one class label each, as the MNIST-type datasets store them: pixels 0…255,
/// row-major, image after image.
public struct LabelledImages: Sendable {
    public let count: Int
    public let rows: Int
    public let columns: Int
    public let classes: Int
    /// count × rows × columns pixels, 0 (background) … 255.
    public let pixels: [UInt8]
    /// One label per image, 0 ..< classes.
    public let labels: [UInt8]

    public var pixelsPerImage: Int { rows * columns }

    /// Pairs an images file (rank 3) with a labels file (rank 1); the names label the errors.
    public init(images: IDXFile, labels: IDXFile, classes: Int, imagesName: String, labelsName: String) throws {
        guard images.dimensions.count == 3 else {
            throw ClassificationDataError.corrupt(file: imagesName, reason: "rank \(images.dimensions.count), images need rank 3 (count × rows × columns)")
        }
        guard labels.dimensions.count == 1 else {
            throw ClassificationDataError.corrupt(file: labelsName, reason: "rank \(labels.dimensions.count), labels need rank 1")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw ClassificationDataError.inconsistent(
                "\(imagesName) holds \(images.dimensions[0]) images but \(labelsName) \(labels.dimensions[0]) labels")
        }
        if let bad = labels.values.firstIndex(where: { Int($0) >= classes }) {
            throw ClassificationDataError.corrupt(file: labelsName, reason: "label \(labels.values[bad]) at index \(bad) is not a class 0…\(classes - 1)")
        }
        self.init(rows: images.dimensions[1], columns: images.dimensions[2], classes: classes,
                  pixels: images.values, labels: labels.values)
    }

    public init(rows: Int, columns: Int, classes: Int, pixels: [UInt8], labels: [UInt8]) {
        precondition(pixels.count == labels.count * rows * columns, "pixels do not match the labels")
        self.count = labels.count
        self.rows = rows
        self.columns = columns
        self.classes = classes
        self.pixels = pixels
        self.labels = labels
    }

    /// The first `count` images (a smaller set for tests and quick runs).
    public func prefix(_ count: Int) -> LabelledImages {
        let n = min(count, self.count)
        return LabelledImages(rows: rows, columns: columns, classes: classes,
                              pixels: Array(pixels.prefix(n * pixelsPerImage)), labels: Array(labels.prefix(n)))
    }
}

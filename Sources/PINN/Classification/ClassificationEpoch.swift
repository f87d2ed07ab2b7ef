/// What one epoch of classification training measured: the row of `losses.csv` (`pinn classify`).
public struct ClassificationEpoch: Codable, Sendable, Equatable {
    public let epoch: Int
    /// The mean cross-entropy of the epoch's mini-batches, weighted by their sizes, before each batch's update
    /// (what Keras and PyTorch loops report as the training loss): the loss without S(a).
    public let trainLoss: Double
    /// The fraction of the epoch's training images classified correctly when their mini-batch was evaluated.
    public let trainAccuracy: Double
    /// The mean cross-entropy and the accuracy over the whole test set after the epoch.
    public let testLoss: Double
    public let testAccuracy: Double
    /// S(a) after the epoch (0 without slopes).
    public let slopeRecovery: Double
    /// n·ā per hidden layer after the epoch (the mean slope of the layer's neurons).
    public let meanSlopes: [Double]
}

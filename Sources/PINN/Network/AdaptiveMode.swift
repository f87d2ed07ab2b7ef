/// Where the trainable slopes a of the adaptive activation σ(n·a·z) live (Jagtap, Kawaguchi & Karniadakis).
public enum AdaptiveMode: String, Codable, Sendable, CaseIterable {
    /// No slopes: σ(z) (n = 1, a ≡ 1).
    case fixed
    /// One slope shared by every neuron of the network (GAAF).
    case global
    /// One slope per hidden layer (L-LAAF).
    case layer
    /// One slope per hidden neuron (N-LAAF).
    case neuron
}

// The engine's public API includes the numerics it is built on (scalars, activations, samplers, optimisers).
@_exported import PINNNumerics

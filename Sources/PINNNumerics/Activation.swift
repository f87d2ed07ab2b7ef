import CPINNKernels

/// The activation σ of the hidden layers. Each has cheap σ', σ'', σ''' (docs/design.md §2), evaluated in the
/// vectorised C kernels: tanh (σ' = 1 − σ², σ'' = −2σσ', σ''' = −2σ'² − 2σσ''), sin (σ' = cos, σ'' = −sin, σ''' = −cos).
public enum Activation: String, Codable, Sendable, CaseIterable {
    case tanh
    case sin

    var kernelValue: pinn_activation {
        switch self {
        case .tanh: PINN_TANH
        case .sin: PINN_SIN
        }
    }
}

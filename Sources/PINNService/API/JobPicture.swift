import PINN
import PINNFigures
import PINNPlot

/// The pictures of a job the API renders (`GET /v1/jobs/{id}/<name>.png`): the solution, the exact solution and the
/// pointwise error as heatmaps over the two inputs, and the loss, error and slope histories as line plots.
enum JobPicture: String, CaseIterable, Sendable {
    case solution, exact, error, losses, errors, slopes

    var quantity: SolutionOnGrid.Quantity {
        switch self {
        case .exact: .exact
        case .error: .absoluteError
        default: .value
        }
    }
}

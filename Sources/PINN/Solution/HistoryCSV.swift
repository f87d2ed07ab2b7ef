/// The training histories as CSV, written in one place for the service's downloads and the CLI's run directory.
/// Numbers are the shortest text that reads back to the same Double (`CSVText`); a missing value is `nan`.
public enum HistoryCSV {
    /// `iteration,phase,total,<terms>,slopeRecovery,seconds,<learned parameters>`
    public static func lossHeader(termNames: [String], learned: [String]) -> String {
        (["iteration", "phase", "total"] + termNames + ["slopeRecovery", "seconds"] + learned).joined(separator: ",")
    }

    public static func lossRow(_ r: LossRecord, learned: [String]) -> String {
        (["\(r.iteration)", "\(r.phase)", CSVText.number(r.total)] + r.terms.map(CSVText.number)
         + [CSVText.number(r.slopeRecovery), CSVText.number(r.seconds)]
         + learned.map { CSVText.number(r.learned?[$0] ?? .nan) }).joined(separator: ",")
    }

    /// `iteration,phase,layer1_na,…,a0,a1,…`: n·ā per hidden layer, then every trainable slope.
    public static func slopeHeader(layers: Int, slopes: Int) -> String {
        (["iteration", "phase"] + (0..<layers).map { "layer\($0 + 1)_na" } + (0..<slopes).map { "a\($0)" })
            .joined(separator: ",")
    }

    public static func slopeRow(_ r: SlopeRecord) -> String {
        (["\(r.iteration)", "\(r.phase)"] + r.layerMeans.map(CSVText.number) + r.slopes.map(CSVText.number))
            .joined(separator: ",")
    }

    /// `iteration,phase,relativeL2,<output>_relativeL2,<output>_maxAbsError,…`
    public static func errorHeader(outputs: [String]) -> String {
        (["iteration", "phase", "relativeL2"] + outputs.flatMap { ["\($0)_relativeL2", "\($0)_maxAbsError"] })
            .joined(separator: ",")
    }

    public static func errorRow(_ r: ErrorRecord, outputs: [String]) -> String {
        (["\(r.iteration)", "\(r.phase)", CSVText.number(r.relativeL2)] + outputs.flatMap { name in
            [CSVText.number(r.outputs[name]?.relativeL2 ?? .nan), CSVText.number(r.outputs[name]?.maxAbsError ?? .nan)]
        }).joined(separator: ",")
    }

    /// Whole documents: a header and one line per record.
    public static func losses(_ records: [LossRecord], termNames: [String], learned: [String]) -> String {
        document(lossHeader(termNames: termNames, learned: learned), records.map { lossRow($0, learned: learned) })
    }

    public static func slopes(_ records: [SlopeRecord]) -> String {
        document(slopeHeader(layers: records.first?.layerMeans.count ?? 0, slopes: records.first?.slopes.count ?? 0),
                 records.map(slopeRow))
    }

    public static func errors(_ records: [ErrorRecord], outputs: [String]) -> String {
        document(errorHeader(outputs: outputs), records.map { errorRow($0, outputs: outputs) })
    }

    private static func document(_ header: String, _ rows: [String]) -> String {
        ([header] + rows).joined(separator: "\n") + "\n"
    }
}

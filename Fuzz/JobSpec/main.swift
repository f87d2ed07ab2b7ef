// libFuzzer target for the job-spec decoder: the bytes are a request body, as `POST /v1/jobs` hands them to
// `JobSpecParser.parse` (which also compiles the problem). A rejection with issues is the expected answer; a trap,
// a memory error, a leak or a hang is a finding. A spec that is accepted must survive the store's JSON
// round-trip unchanged, since a queued job is read back from it after a restart. Built by scripts/fuzz.sh.
import Foundation
import PINN

/// Reads the Allen–Cahn reference once before fuzzing, so that a fuzz build without its resources
/// (ResourceBundle.swift) fails at start rather than as a finding.
@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    _ = AllenCahnReference.grid
    _ = ProblemPresets.spec(named: ProblemPresets.defaultName)
    return 0
}

/// The service's default limits, but 10,000 observation rows instead of 100,000: `sampleExact` evaluates the exact
/// solution at parse time, and 100,000 Burgers samples (400-node quadrature each) take 2 s in a release build but
/// 23 s in this instrumented one, past the 10 s timeout of scripts/fuzz.sh. Every other limit is the default.
private let limits: JobSpecParser.Limits = {
    var limits = JobSpecParser.Limits()
    limits.maxObservations = 10_000
    return limits
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    let spec: JobSpec
    do {
        spec = try JobSpecParser.parse(body, limits: limits)
    } catch {
        check(!error.issues.isEmpty, "rejected without an issue")
        // The field may be empty: it is the path of a member, and `{"": 1}` names one "".
        for issue in error.issues { check(!issue.message.isEmpty, "an issue without a message: \(issue)") }
        return 0
    }
    let stored: Data
    do {
        stored = try storeEncoder.encode(spec)
    } catch {
        fatalError("fuzz invariant: an accepted spec does not encode: \(error)")
    }
    do {
        let restored = try storeDecoder.decode(JobSpec.self, from: stored)
        check(restored == spec, "the stored spec reads back different:\n\(String(decoding: stored, as: UTF8.self))")
    } catch {
        fatalError("fuzz invariant: a stored spec does not decode: \(error)\n\(String(decoding: stored, as: UTF8.self))")
    }
    return 0
}

// The store's JSON settings (PINNStore's StoredJSON, not linked into this target).
private let storeEncoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return encoder
}()

private let storeDecoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return decoder
}()

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant: \(message())") }
}

import Testing
@testable import PINN

/// The study's numbers against values computed by hand.
@Suite struct StudyStatisticsTests {
    typealias Spread = StudyStatistics.Spread

    static func error(_ iteration: Int, _ value: Double) -> ErrorRecord {
        ErrorRecord(iteration: iteration, phase: 0, relativeL2: value, outputs: [:])
    }

    static func loss(_ iteration: Int, seconds: Double) -> LossRecord {
        LossRecord(iteration: iteration, phase: 0, total: 1, terms: [], slopeRecovery: 0, seconds: seconds)
    }

    @Test func theSpreadOfNoValueIsNil() {
        #expect(Spread([]) == nil)
        #expect(Spread([.nan, .infinity]) == nil)
    }

    @Test func theMedianOfAnOddCountIsTheMiddleValue() throws {
        let spread = try #require(Spread([3e-3, 1e-3, 7e-3]))
        #expect(spread.median == 3e-3 && spread.min == 1e-3 && spread.max == 7e-3 && spread.count == 3)
    }

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() throws {
        let spread = try #require(Spread([4, 1, 10, 2, .nan]))
        #expect(spread.median == 3 && spread.min == 1 && spread.max == 10 && spread.count == 4)
    }

    @Test func secondsAreInterpolatedBetweenLossRecordsAndClampedAtTheEnds() {
        let losses = [Self.loss(0, seconds: 0.5), Self.loss(20, seconds: 4.5)]
        #expect(StudyStatistics.seconds(at: 10, losses: losses) == 2.5)
        #expect(StudyStatistics.seconds(at: 20, losses: losses) == 4.5)
        #expect(StudyStatistics.seconds(at: 30, losses: losses) == 4.5)
        #expect(StudyStatistics.seconds(at: 5, losses: []) == nil)
    }

    @Test func aRunCrossesEachDecadeAtItsFirstEvaluationAtOrBelowIt() {
        let losses = (0...4).map { Self.loss($0 * 10, seconds: Double($0)) }
        let run = StudyStatistics.Run(finalError: 4e-3, errors: [Self.error(0, 0.5), Self.error(10, 0.1), Self.error(20, 0.05),
                                                                Self.error(30, 0.004), Self.error(40, 0.0011)], losses: losses)
        #expect(run.crossings == [.init(decade: 1, iteration: 10, seconds: 1), .init(decade: 2, iteration: 30, seconds: 3)])
    }

    @Test func oneEvaluationCanCrossSeveralDecades() {
        let run = StudyStatistics.Run(finalError: nil, errors: [Self.error(0, 0.5), Self.error(5, 5e-4)], losses: [])
        #expect(run.crossings.map(\.decade) == [1, 2, 3])
        #expect(run.crossings.allSatisfy { $0.iteration == 5 && $0.seconds == nil })
    }

    @Test func aCellsDecadesCountTheRunsThatReachedThemAndSpreadOverThoseOnly() throws {
        let a = StudyStatistics.Run(finalError: 2e-3, errors: [Self.error(10, 0.05), Self.error(30, 0.002)],
                                    losses: [Self.loss(0, seconds: 0), Self.loss(30, seconds: 3)])
        let b = StudyStatistics.Run(finalError: 0.02, errors: [Self.error(20, 0.02)],
                                    losses: [Self.loss(0, seconds: 0), Self.loss(20, seconds: 2)])
        let c = StudyStatistics.Run(finalError: nil, errors: [Self.error(20, 0.3)], losses: [])
        let decades = StudyStatistics.decades([a, b, c])
        #expect(decades.count == 2)
        #expect(decades[0].decade == 1 && decades[0].threshold == 0.1 && decades[0].reached == 2 && decades[0].runs == 3)
        #expect(decades[0].seconds == Spread([1, 2]) && decades[0].seconds?.median == 1.5)
        #expect(decades[0].iterations == Spread([10, 20]))
        #expect(decades[1].decade == 2 && decades[1].threshold == 0.01 && decades[1].reached == 1)
        #expect(decades[1].seconds?.median == 3 && decades[1].iterations?.median == 30)
        let final = try #require(StudyStatistics.finalError([a, b, c]))
        #expect(final.median == 0.011 && final.min == 2e-3 && final.max == 0.02 && final.count == 2)
    }

    @Test func aCellWhereNoRunReachedTenPercentStillReportsThatDecade() {
        let decades = StudyStatistics.decades([StudyStatistics.Run(finalError: 0.5, errors: [Self.error(0, 0.5)], losses: [])])
        #expect(decades.map(\.reached) == [0] && decades[0].seconds == nil)
    }

    @Test func theEnvelopeIsTheMedianAndRangeOfEachCurvesLatestValue() {
        let envelope = StudyStatistics.envelope([[(0, 1), (10, 0.25)], [(0, 0.5), (5, 0.125)]], points: 3)
        #expect(envelope.x == [0, 5, 10])
        #expect(envelope.median == [0.75, 0.5625, 0.1875])
        #expect(envelope.lower == [0.5, 0.125, 0.125])
        #expect(envelope.upper == [1, 1, 0.25])
    }

    @Test func theEnvelopeLeavesOutPointsBeforeAnyCurveStarts() {
        let envelope = StudyStatistics.envelope([[(4, 1)], [(0, 2), (8, 3)]], points: 3)
        #expect(envelope.x == [0, 4, 8] && envelope.median == [2, 1.5, 2] && envelope.upper == [2, 2, 3])
        #expect(StudyStatistics.envelope([[], []]).x.isEmpty)
    }
}

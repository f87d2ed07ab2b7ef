import Foundation
import Testing
@testable import PINNStore

/// Who sees which job: listing filters in SQL (each store its own), `admits` decides for one job, and the two must
/// agree.
@Suite struct JobVisibilityTests {
    /// alice's private and shared jobs, bob's private one, and one submitted without tokens (no owner).
    static func store(_ kind: StoreKind) throws -> (any JobStore, [String: String]) {
        let store = try kind.make().store
        var ids: [String: String] = [:]
        for (label, owner, shared) in [("alicePrivate", "alice", false), ("aliceShared", "alice", true),
                                       ("bobPrivate", "bob", false), ("ownerless", nil, false)] as [(String, String?, Bool)] {
            ids[label] = try store.create(spec: StoreFixtures.spec, priority: 0, owner: owner, shared: shared).id
        }
        return (store, ids)
    }

    static let expected: [(JobVisibility, Set<String>)] = [
        (.everyJob, ["alicePrivate", "aliceShared", "bobPrivate", "ownerless"]),
        (.visibleTo(owner: "alice"), ["alicePrivate", "aliceShared", "ownerless"]),
        (.visibleTo(owner: "bob"), ["aliceShared", "bobPrivate", "ownerless"]),
        (.visibleTo(owner: nil), ["aliceShared", "ownerless"]),
    ]

    @Test(arguments: StoreKind.contract)
    func listingShowsOwnSharedAndOwnerlessJobs(_ kind: StoreKind) throws {
        let (store, ids) = try Self.store(kind)
        for (visibility, labels) in Self.expected {
            let listed = try store.list(status: nil, visibility: visibility, limit: 10, offset: 0).map(\.id)
            #expect(Set(listed) == Set(labels.map { ids[$0]! }), "\(visibility)")
        }
    }

    @Test(arguments: StoreKind.contract)
    func admitsAgreesWithListing(_ kind: StoreKind) throws {
        let (store, ids) = try Self.store(kind)
        for (visibility, labels) in Self.expected {
            for (label, id) in ids {
                #expect(visibility.admits(try #require(try store.job(id: id))) == labels.contains(label), "\(visibility) \(label)")
            }
        }
    }

    @Test(arguments: StoreKind.contract)
    func paginationCountsVisibleJobsOnly(_ kind: StoreKind) throws {
        let store = try kind.make().store
        var bobs: [String] = []
        for i in 0..<6 {
            let owner = i % 2 == 0 ? "alice" : "bob"
            let id = try store.create(spec: StoreFixtures.spec, priority: 0, owner: owner, shared: false).id
            if owner == "bob" { bobs.append(id) }
        }
        let bob = JobVisibility.visibleTo(owner: "bob")
        #expect(try store.list(status: nil, visibility: bob, limit: 2, offset: 0).map(\.id) == [bobs[2], bobs[1]])
        #expect(try store.list(status: nil, visibility: bob, limit: 2, offset: 2).map(\.id) == [bobs[0]])
        #expect(try store.list(status: .queued, visibility: bob, limit: 10, offset: 0).count == 3)
    }

    @Test(arguments: StoreKind.contract)
    func ownerAndSharedSurviveReopening(_ kind: StoreKind) throws {
        let subject = try kind.make()
        let created = try subject.store.create(spec: StoreFixtures.spec, priority: 1, owner: "alice", shared: true)
        let read = try #require(try subject.reopened().job(id: created.id))
        #expect(read == created)
        #expect(read.owner == "alice" && read.shared)
    }
}

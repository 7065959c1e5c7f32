//! [`ReferenceServer`]: the generic server logic over a [`MemoryStore`], the oracle for tests
//! and the server the simulation runs against.

use super::{EraseError, MemoryStore, SCAN_BUDGET};
use crate::area::AreaTree;
use crate::id::{PersonId, UserId};
use crate::permission::Actor;
use crate::record::Record;
use crate::sync::wire::{
    Conflict, ConflictId, PullRefusal, PullRequest, PullResponse, PushRefusal, PushRequest,
    PushResponse, RecordKey, SyncedRecord, Version,
};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The reference server: [`super::push`], [`super::pull`] and [`super::erase`] over a
/// [`MemoryStore`], which cannot fail.
#[derive(Clone, Debug)]
pub struct ReferenceServer {
    /// The durable state.
    pub store: MemoryStore,
    /// How many feed entries a pull page may read.
    scan_budget: usize,
}

impl Default for ReferenceServer {
    fn default() -> Self {
        Self {
            store: MemoryStore::default(),
            scan_budget: SCAN_BUDGET,
        }
    }
}

impl ReferenceServer {
    /// A server holding `records`, created by the organisation's setup (see [`super::seed`]).
    pub fn seeded(records: impl IntoIterator<Item = Record>) -> Self {
        let mut server = Self::default();
        let Ok(_) = super::seed(&mut server.store, records);
        server
    }

    /// The same server with another scan budget for pulls (see
    /// [`super::pull_with_scan_budget`]).
    pub fn with_scan_budget(self, scan_budget: usize) -> Self {
        Self {
            scan_budget,
            ..self
        }
    }

    /// Forgets the caches, as a process restart would. Durable state is kept, and the logic
    /// keeps nothing of its own between requests.
    pub fn restart(&mut self) {
        self.store.forget_caches();
    }

    /// Handles a push from `user` (as authenticated by the HTTP layer): all or nothing.
    pub fn push(
        &mut self,
        user: UserId,
        request: &PushRequest,
    ) -> Result<PushResponse, PushRefusal> {
        let Ok(answer) = super::push(&mut self.store, user, request);
        answer
    }

    /// Handles a pull from `user`.
    pub fn pull(
        &mut self,
        user: UserId,
        request: &PullRequest,
    ) -> Result<PullResponse, PullRefusal> {
        let Ok(answer) =
            super::pull_with_scan_budget(&mut self.store, user, request, self.scan_budget);
        answer
    }

    /// Erases a person on behalf of `user`, who must be an admin of the person's area.
    pub fn erase(&mut self, user: UserId, person: PersonId) -> Result<Version, EraseError> {
        let Ok(answer) = super::erase(&mut self.store, user, person);
        answer
    }

    /// What `user` may see now, from the maps (see [`MemoryStore::visible_to`]).
    #[allow(clippy::type_complexity)]
    pub fn visible_to(
        &mut self,
        user: UserId,
    ) -> (
        BTreeMap<RecordKey, SyncedRecord>,
        BTreeMap<ConflictId, Conflict>,
    ) {
        let actor = self.actor(user);
        let tree = self.area_tree();
        self.store.visible_to(&actor, &tree)
    }

    /// `user`'s actor as the server derives it now.
    pub fn actor(&mut self, user: UserId) -> Actor {
        let Ok(actor) = super::actor(&mut self.store, user);
        actor
    }

    /// The area tree as it stands.
    pub fn area_tree(&mut self) -> Arc<AreaTree> {
        let Ok(tree) = super::area_tree(&mut self.store);
        tree
    }
}

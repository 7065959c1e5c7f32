//! A tiny script language for sync scenarios, so the snapshot tests of the merge rules are
//! a few readable lines in and the resulting state out.
//!
//! ```text
//! client a as organiser          # a replica for a seeded user
//! a create person alice name="Alice Example"
//! a set alice.name "Ali"         # also: add / remove ALIAS.FIELD ELEMENT, delete ALIAS
//! a push                         # also: push lost, push again, push from SEQ
//! a pull                         # pulls every page
//! a resolve alice.name "Ali"     # resolves the open conflict on that field
//! erase alice by admin
//! grant volunteer organiser ward-north   # a role, given directly by the admin's setup
//! show                           # server and every client
//! show conflicts a               # the Conflicts screen on a: each value, and who set it
//! ```

use crate::support::{self, Names};
use organise_core::id::{RecordId, UserId};
use organise_core::model::Role;
use organise_core::record::Choice;
use organise_core::sync::conflicts::{self, SetBy};
use organise_core::sync::{Outcome, PushRequest, RecordKey, ReferenceServer, Replica, Seq};
use organise_core::{Collection, Element, Record, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

struct Client {
    replica: Replica,
    last_push: Option<PushRequest>,
}

pub struct Scenario {
    server: ReferenceServer,
    clients: BTreeMap<String, Client>,
    /// The admin's own client, for role changes made by the `grant` and `revoke` lines.
    admin: Replica,
    names: Names,
    aliases: BTreeMap<String, RecordKey>,
    seeded: BTreeSet<RecordKey>,
    next_id: u128,
    out: String,
}

impl Scenario {
    pub fn new() -> Self {
        let seed = support::seed();
        let seeded = seed
            .iter()
            .map(|r| RecordKey {
                collection: r.collection,
                id: r.id,
            })
            .collect();
        Self {
            server: ReferenceServer::seeded(seed),
            clients: BTreeMap::new(),
            admin: Replica::new(
                organise_core::sync::ClientId::from_u128(0xDFF),
                support::ADMIN,
            ),
            names: Names::standard(),
            aliases: BTreeMap::new(),
            seeded,
            next_id: 0x100,
            out: String::new(),
        }
    }

    pub fn run(mut self, script: &str) -> String {
        for line in script.lines() {
            let line = line.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            writeln!(self.out, "> {line}").unwrap();
            self.step(line);
        }
        self.out
    }

    fn user(&self, name: &str) -> UserId {
        let id = self
            .names
            .0
            .iter()
            .find(|(_, n)| n.as_str() == name)
            .map(|(id, _)| *id);
        UserId(id.unwrap_or_else(|| panic!("no user called {name}")))
    }

    fn id(&self, word: &str) -> RecordId {
        if let Some(key) = self.aliases.get(word) {
            return key.id;
        }
        self.names
            .0
            .iter()
            .find(|(_, n)| n.as_str() == word)
            .map(|(id, _)| *id)
            .unwrap_or_else(|| panic!("unknown name {word}"))
    }

    fn value(&self, text: &str) -> Value {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            let items: Vec<&str> = inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if items.iter().all(|i| i.starts_with('"')) {
                return Value::Texts(
                    items
                        .iter()
                        .map(|i| i.trim_matches('"').to_owned())
                        .collect(),
                );
            }
            return Value::Ids(items.iter().map(|i| self.id(i)).collect());
        }
        match text {
            "null" => Value::Null,
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            t if t.starts_with('"') => Value::Text(t.trim_matches('"').to_owned()),
            t if t.parse::<i64>().is_ok() => Value::Int(t.parse().unwrap()),
            t => Value::Id(self.id(t)),
        }
    }

    fn element(&self, text: &str) -> Element {
        match self.value(text) {
            Value::Text(t) => Element::Text(t),
            Value::Id(id) => Element::Id(id),
            other => panic!("not an element: {other:?}"),
        }
    }

    /// Splits `a b="c d" e` into words, keeping quoted text whole.
    fn words(line: &str) -> Vec<String> {
        let mut words = Vec::new();
        let mut current = String::new();
        let mut quoted = false;
        let mut depth = 0;
        for c in line.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    current.push(c);
                }
                '{' => {
                    depth += 1;
                    current.push(c);
                }
                '}' => {
                    depth -= 1;
                    current.push(c);
                }
                ' ' if !quoted && depth == 0 => {
                    if !current.is_empty() {
                        words.push(std::mem::take(&mut current));
                    }
                }
                _ => current.push(c),
            }
        }
        if !current.is_empty() {
            words.push(current);
        }
        words
    }

    fn field_ref(&self, word: &str) -> (RecordKey, String) {
        let (alias, field) = word.split_once('.').expect("ALIAS.FIELD");
        (self.aliases[alias], field.to_owned())
    }

    fn template(&self, collection: Collection, id: RecordId, by: UserId) -> Record {
        let area = support::WARD_NORTH;
        match collection {
            Collection::Person => support::person(id, "Test Person", area, by),
            Collection::List => Record::new(collection, id, area, by)
                .with("name", "Walk list")
                .with("kind", "walk")
                .with("members", Value::Ids(BTreeSet::new()))
                .with("assignees", Value::Ids(BTreeSet::new())),
            Collection::Conversation => Record::new(collection, id, area, by)
                .with("kind", "doorstep")
                .with("by", by.0)
                .with("at", organise_core::Timestamp(1_700_000_000_000))
                .with("outcome", "held"),
            Collection::Meeting => Record::new(collection, id, area, by)
                .with("kind", "house_meeting")
                .with("title", "House meeting")
                .with("host", by.0)
                .with("place", "The front room")
                .with("starts", organise_core::Timestamp(1_700_000_000_000)),
            other => Record::new(other, id, area, by),
        }
    }

    fn step(&mut self, line: &str) {
        let words = Self::words(line);
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        match w.as_slice() {
            ["client", name, "as", user] => {
                let user = self.user(user);
                let client_id =
                    organise_core::sync::ClientId::from_u128(0xD00 + self.clients.len() as u128);
                self.clients.insert(
                    (*name).to_owned(),
                    Client {
                        replica: Replica::new(client_id, user),
                        last_push: None,
                    },
                );
            }
            ["erase", alias, "by", user] => {
                let user = self.user(user);
                let person = self.aliases[*alias].id.into();
                match self.server.erase(user, person) {
                    Ok(version) => writeln!(self.out, "  erased at {version}").unwrap(),
                    Err(e) => writeln!(self.out, "  refused: {e}").unwrap(),
                }
            }
            ["grant", user, role, area] | ["revoke", user, role, area] => {
                // Role changes made by the admin's own client, which first catches up (a
                // delete must be based on the version it saw) and then pushes at once.
                self.admin_pull();
                let (user, area) = (self.user(user), self.id(area).into());
                let role = Role::parse(role).expect("a role");
                let record = support::role(user, role, area);
                let key = RecordKey {
                    collection: record.collection,
                    id: record.id,
                };
                if w[0] == "grant" {
                    self.admin.create(&record).unwrap();
                } else {
                    self.admin.delete(key).unwrap();
                }
                self.admin_push();
            }
            [client, "create", collection, alias, fields @ ..] => {
                let collection = Collection::ALL
                    .into_iter()
                    .find(|c| c.to_string() == *collection)
                    .expect("a collection");
                let id = RecordId::from_u128(self.next_id);
                self.next_id += 1;
                self.names.0.insert(id, (*alias).to_owned());
                self.aliases
                    .insert((*alias).to_owned(), RecordKey { collection, id });
                let by = self.clients[*client].replica.user();
                let mut record = self.template(collection, id, by);
                for field in fields {
                    let (name, value) = field.split_once('=').expect("field=value");
                    if name == "area" {
                        record.area = self.id(value).into();
                    } else {
                        record.fields.insert(name.into(), self.value(value));
                    }
                }
                let result = self
                    .clients
                    .get_mut(*client)
                    .unwrap()
                    .replica
                    .create(&record);
                self.local(result);
            }
            [client, "set", field, value] => {
                let ((key, field), value) = (self.field_ref(field), self.value(value));
                let result = self
                    .clients
                    .get_mut(*client)
                    .unwrap()
                    .replica
                    .set_field(key, &field, value);
                self.local(result);
            }
            [client, op @ ("add" | "remove"), field, element] => {
                let ((key, field), element) = (self.field_ref(field), self.element(element));
                let replica = &mut self.clients.get_mut(*client).unwrap().replica;
                let result = if *op == "add" {
                    replica.add_to_set(key, &field, element)
                } else {
                    replica.remove_from_set(key, &field, element)
                };
                self.local(result);
            }
            [client, "delete", alias] => {
                let key = self.aliases[*alias];
                let result = self.clients.get_mut(*client).unwrap().replica.delete(key);
                self.local(result);
            }
            [client, "resolve", field, value] => {
                let ((key, field), value) = (self.field_ref(field), self.value(value));
                let replica = &mut self.clients.get_mut(*client).unwrap().replica;
                let conflict = replica
                    .confirmed_conflicts()
                    .values()
                    .find(|c| c.key == key && c.field.as_str() == field)
                    .map(|c| c.id)
                    .expect("an open conflict on that field");
                let result = replica.resolve_conflict(conflict, value);
                self.local(result);
            }
            [client, "push", rest @ ..] => self.push(client, rest),
            [client, "pull"] => self.pull(client),
            ["show"] => {
                self.show_server();
                let names: Vec<String> = self.clients.keys().cloned().collect();
                for name in names {
                    self.show_client(&name);
                }
            }
            ["show", "conflicts", client] => self.show_conflicts(client),
            ["show", client] => self.show_client(client),
            _ => panic!("cannot read: {line}"),
        }
    }

    fn admin_pull(&mut self) {
        loop {
            let response = self
                .server
                .pull(support::ADMIN, &self.admin.pull_request(500))
                .expect("pull");
            if !self.admin.apply_pull_response(&response).expect("fresh") {
                break;
            }
        }
    }

    fn admin_push(&mut self) {
        let request = self.admin.push_request(100).unwrap();
        let response = self
            .server
            .push(support::ADMIN, &request)
            .expect("the admin's setup push");
        self.admin.apply_push_response(&response);
        for outcome in &response.outcomes {
            writeln!(
                self.out,
                "  {}",
                self.outcome(outcome.seq, &outcome.outcome)
            )
            .unwrap();
        }
    }

    fn local<E: std::fmt::Display>(&mut self, result: Result<Seq, E>) {
        match result {
            Ok(seq) => writeln!(self.out, "  queued {seq}").unwrap(),
            Err(e) => writeln!(self.out, "  refused locally: {e}").unwrap(),
        }
    }

    fn outcome(&self, seq: Seq, outcome: &Outcome) -> String {
        match outcome {
            Outcome::Applied { version } => format!("{seq} applied at {version}"),
            Outcome::Conflicted { version, conflict } => {
                format!(
                    "{seq} applied at {version}, overwritten value kept as conflict {}",
                    conflict.0
                )
            }
            Outcome::Rejected { rejection } => format!("{seq} rejected: {rejection}"),
            Outcome::Skipped => format!("{seq} skipped (void)"),
        }
    }

    fn push(&mut self, client: &str, rest: &[&str]) {
        let c = self.clients.get_mut(client).unwrap();
        let user = c.replica.user();
        let request = match rest {
            ["again"] => c.last_push.clone().expect("an earlier push"),
            ["from", seq] => c
                .replica
                .push_request_from(Seq(seq.parse().unwrap()), 100)
                .expect("pending mutations"),
            [] | ["lost"] => match c.replica.push_request(100) {
                Some(request) => request,
                None => {
                    writeln!(self.out, "  nothing to push").unwrap();
                    return;
                }
            },
            _ => panic!("push [lost | again | from SEQ]"),
        };
        c.last_push = Some(request.clone());
        match self.server.push(user, &request) {
            Ok(response) if rest == ["lost"] => {
                writeln!(
                    self.out,
                    "  server processed up to {}; response lost",
                    response.last_seq
                )
                .unwrap();
            }
            Ok(response) => {
                let c = self.clients.get_mut(client).unwrap();
                c.replica.apply_push_response(&response);
                for outcome in &response.outcomes {
                    let line = self.outcome(outcome.seq, &outcome.outcome);
                    writeln!(self.out, "  {line}").unwrap();
                }
            }
            Err(refusal) => {
                let stuck = self.clients[client].replica.apply_push_refusal(&refusal);
                writeln!(
                    self.out,
                    "  refused: {refusal}{}",
                    if stuck.is_err() { " (stuck)" } else { "" }
                )
                .unwrap();
            }
        }
    }

    fn pull(&mut self, client: &str) {
        let user = self.clients[client].replica.user();
        let (mut pages, mut changes, mut purges) = (0, 0, Vec::new());
        loop {
            let request = self.clients[client].replica.pull_request(50);
            let response = self.server.pull(user, &request).expect("pull");
            pages += 1;
            changes += response.changes.len();
            let first_pull = request.epoch.is_none();
            for purge in &response.purges {
                purges.push(match purge {
                    // A new replica is always told its epoch; only a change is news.
                    organise_core::sync::Purge::Scope { .. } if first_pull => continue,
                    organise_core::sync::Purge::Scope { epoch } => {
                        format!(
                            "scope changed (epoch {}): everything forgotten, pulled again from v0",
                            epoch.0
                        )
                    }
                    organise_core::sync::Purge::Erased { person, related } => {
                        format!(
                            "erased {} and {} related",
                            self.names.name(person.0),
                            related.len()
                        )
                    }
                });
            }
            let more = self
                .clients
                .get_mut(client)
                .unwrap()
                .replica
                .apply_pull_response(&response)
                .expect("fresh");
            if !more {
                break;
            }
        }
        let cursor = self.clients[client].replica.cursor();
        writeln!(
            self.out,
            "  {pages} page(s), {changes} change(s), cursor {cursor}"
        )
        .unwrap();
        for purge in purges {
            writeln!(self.out, "  purge: {purge}").unwrap();
        }
    }

    fn op(&self, mutation: &organise_core::sync::Mutation) -> String {
        use organise_core::sync::Op;
        let name = self.names.name(mutation.record_id);
        let element = |e: &Element| match e {
            Element::Text(t) => format!("{t:?}"),
            Element::Id(id) => self.names.name(*id),
        };
        match &mutation.op {
            Op::Create { .. } => format!("create {} {name}", mutation.collection),
            Op::SetField {
                field,
                value,
                base_version,
            } => {
                format!(
                    "set {name}.{field} = {} (base {base_version})",
                    self.names.value(value)
                )
            }
            Op::AddToSet { field, element: e } => format!("add {} to {name}.{field}", element(e)),
            Op::RemoveFromSet { field, element: e } => {
                format!("remove {} from {name}.{field}", element(e))
            }
            Op::Delete { base_version } => format!("delete {name} (base {base_version})"),
            Op::ResolveConflict { conflict, value } => {
                format!(
                    "resolve conflict {} with {}",
                    conflict.0,
                    self.names.value(value)
                )
            }
            Op::Void => "void (purged)".to_owned(),
        }
    }

    fn show_server(&mut self) {
        writeln!(self.out, "  server at {}:", self.server.store.version).unwrap();
        let records: Vec<Record> = self
            .server
            .store
            .records
            .iter()
            .filter(|(k, _)| !self.seeded.contains(k))
            .map(|(_, s)| s.synced.to_record())
            .collect();
        for record in records {
            writeln!(self.out, "    {}", self.names.record(&record)).unwrap();
        }
        let tombstones: Vec<String> = self
            .server
            .store
            .tombstones
            .keys()
            .map(|k| self.names.name(k.id))
            .collect();
        if !tombstones.is_empty() {
            writeln!(self.out, "    deleted: {}", tombstones.join(", ")).unwrap();
        }
        for stored in self.server.store.conflicts.values() {
            let c = &stored.conflict;
            let state = if stored.open { "open" } else { "closed" };
            writeln!(
                self.out,
                "    conflict {} on {}.{} ({state}): kept {} by {} at {}, winner {} by {} at {}",
                c.id.0,
                self.names.name(c.key.id),
                c.field,
                self.names.value(&c.overwritten.value),
                self.names.name(c.overwritten.user.0),
                c.overwritten.version,
                self.names.value(&c.winner.value),
                self.names.name(c.winner.user.0),
                c.winner.version,
            )
            .unwrap();
        }
        if !self.server.store.erased.is_empty() {
            let erased: Vec<String> = self
                .server
                .store
                .erased
                .iter()
                .map(|id| self.names.name(*id))
                .collect();
            writeln!(self.out, "    erased forever: {}", erased.join(", ")).unwrap();
        }
    }

    /// What the Conflicts screen on `name` shows: each open conflict's value now and value
    /// kept, and who set each.
    fn show_conflicts(&mut self, name: &str) {
        let replica = &self.clients[name].replica;
        let mut lines = vec![format!("  conflicts on {name}:")];
        let by = |by: SetBy| match by {
            SetBy::You => "you".to_owned(),
            SetBy::User(user) => self.names.name(user.0),
            SetBy::NotKnown => "(not known yet)".to_owned(),
        };
        for conflict in conflicts::open_conflicts(replica) {
            lines.push(format!(
                "    {} on {}.{}: now {} by {}, kept {} by {}",
                conflict.id.0,
                self.names.name(conflict.key.id),
                conflict.field,
                self.names.value(&conflict.now.value),
                by(conflict.now.by),
                self.names.value(&conflict.kept.value),
                by(conflict.kept.by),
            ));
        }
        for line in lines {
            writeln!(self.out, "{line}").unwrap();
        }
    }

    fn show_client(&mut self, name: &str) {
        let replica = &self.clients[name].replica;
        let mut lines = vec![format!(
            "  client {name} ({}) at {}:",
            self.names.name(replica.user().0),
            replica.cursor()
        )];
        for (key, record) in replica.visible() {
            if !self.seeded.contains(&key) {
                lines.push(format!("    {}", self.names.record(&record)));
            }
        }
        for conflict in replica.visible_conflicts() {
            lines.push(format!(
                "    conflict {} on {}.{}: kept {}, winner {}",
                conflict.id.0,
                self.names.name(conflict.key.id),
                conflict.field,
                self.names.value(&conflict.overwritten.value),
                self.names.value(&conflict.winner.value)
            ));
        }
        for mutation in replica.outbox() {
            lines.push(format!(
                "    pending {} {}",
                mutation.seq,
                self.op(mutation)
            ));
        }
        for rejected in replica.rejected() {
            lines.push(format!(
                "    rejected {}: {}",
                rejected.mutation.seq, rejected.rejection
            ));
        }
        for line in lines {
            writeln!(self.out, "{line}").unwrap();
        }
    }
}

//! The integration tests of `organise-core`, in one binary (one link step instead of one per
//! file). Cheapest first.

// Fixtures shared by the modules below: a synthetic organisation and id-to-name rendering.
mod support;

// Table-driven tests of the normalisers: UK phone numbers, postcodes, names, email.
mod validation;

// The typed records: round trips through the generic record, every problem reported.
mod model;

// The area tree and the permission rules, role by role.
mod permissions;

// The pure decisions of the protocol (batch planning, the conflict rule, schema versions)
// and the wire shapes.
mod protocol;

// The script language the merge snapshots are written in.
mod scenario;

// Snapshot tests of the merge rules, one scenario each.
mod meetings;
mod merge;

// The server logic over a store that records its calls: keyed lookups and bounded queries
// only, and pull pages within their scan budget.
mod store;

// Saving the client replica piece by piece, and rebuilding it from the device store.
mod local;

// The client's sync engine over a fake phone: push then pull, refusals, stale pages, backoff.
mod engine;

// Listening results: issues ranked per area, ward, list and volunteer, and the stories behind
// them as a reader may see them.
mod results;

// The canvass read model: doors, progress, the walks kept between taps.
mod canvass;

// Surveys: answers checked against their questions, and the tally per question.
mod surveys;

// What a save at a door and a list's setup write: a conversation draft's steps, every
// problem by its field, one tap's outcome, undo, and the survey's questions as drafted.
mod draft;

// Building a new walk list: whom each reach, street and tag picks, who is left out and
// counted, and every problem by its field.
mod new_list;

// The reference rule and the area tree's placement: a regression test per finding of the
// review of cross-area access, each a crafted push.
mod references;

// The property that closes the class: random organisations, random pushes by random users
// (crafted ones too), and no push reaches outside what the rules grant.
mod reach;

// The deterministic simulation: thousands of seeded runs with faults, checked for
// convergence, no loss, no double application and no surviving erased or out-of-scope data.
mod sim;

// One-to-ones and the organiser's week: one per person per day, London's weeks across clock
// changes, the trend against changing targets, late records, next steps, who may read, make
// and edit them, and erasure.
mod one_to_ones;
// Logging a one-to-one from its form: the records it creates and every problem by its field.
mod one_to_one_draft;

// The ladder of engagement: rungs in order, each person's latest move and history, an area's
// chart, who sets rungs and who moves people, and crafted moves refused.
mod ladder;

// The community map: links checked, last contact, a ward's map, gaps and graph, who may
// read and write links, crafted links refused, and erasure.
mod community;

// Local campaigns: every field checked, a campaign drafted from a ward's ranked issue, its
// page summed up, who may make and read campaigns and their actions, crafted ones refused.
mod campaigns;

// Training: everyone who came to a training meeting recorded once, who in an area is trained
// in a module, who may record trainings, crafted ones refused, and erasure.
mod training;

// Finding people: a skill, a tag, a rung and an area, combined with what is typed.
mod search;

// A person's page: everything held about them, and nothing about anyone else.
mod person_file;

// Volunteers from listening: who raised an issue and offered help, or has a skill.
mod volunteers;

// Likely duplicate people: shared phone or email, close names at one address, at scale.
mod duplicates;

// Two people set apart as not one: kept on their records, synced to every organiser's
// phone, taken back there, and refused to whoever does not organise both.
mod set_apart;

// Merging duplicate people: nothing lost, synced to another device, undone there; the
// refusals, who may merge, and erasure of the person kept.
mod merge_people;

// Erasure before the server is asked: who may erase a person, and what goes with them.
mod erasure;

// CSV for spreadsheets: quoting, and formulas kept as text.
mod csv;

// The retention rule: who it catches, and what counts as contact.
mod retention;

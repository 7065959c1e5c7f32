//! Snapshot tests of the merge rules: a scenario in, the resulting state out. Run with
//! `UPDATE_EXPECT=1` to accept a changed snapshot after reading the diff.

use crate::scenario::Scenario;
use expect_test::{Expect, expect};

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&Scenario::new().run(fixture));
}

#[test]
fn concurrent_set_edits_merge_by_element() {
    check(
        r#"
        client a as organiser
        client b as admin
        a create person alice name="Alice Example" skills={"first aid"}
        a push
        b pull
        a add alice.skills "driving"
        a remove alice.skills "first aid"
        b add alice.skills "welsh"
        b add alice.skills "first aid"
        b push
        a push
        a pull
        b pull
        show
        "#,
        expect![[r#"
            > client a as organiser
            > client b as admin
            > a create person alice name="Alice Example" skills={"first aid"}
              queued #1
            > a push
              #1 applied at v17
            > b pull
              1 page(s), 17 change(s), cursor v17
            > a add alice.skills "driving"
              queued #2
            > a remove alice.skills "first aid"
              queued #3
            > b add alice.skills "welsh"
              queued #1
            > b add alice.skills "first aid"
              queued #2
            > b push
              #1 applied at v18
              #2 applied at v19
            > a push
              #2 applied at v20
              #3 applied at v21
            > a pull
              1 page(s), 13 change(s), cursor v21
            > b pull
              1 page(s), 1 change(s), cursor v21
            > show
              server at v21:
                person alice @ward-north name="Alice Example" skills={driving, welsh} source="doorstep"
              client a (organiser) at v21:
                person alice @ward-north name="Alice Example" skills={driving, welsh} source="doorstep"
              client b (admin) at v21:
                person alice @ward-north name="Alice Example" skills={driving, welsh} source="doorstep"
        "#]],
    );
}

#[test]
fn stale_set_field_wins_and_keeps_the_overwritten_value_as_a_conflict() {
    check(
        r#"
        client a as organiser
        client b as admin
        a create person alice name="Alice Example"
        a push
        b pull
        a set alice.name "Alice Exemplar"
        b set alice.name "Ally Example"
        a push
        b push                      # b had not seen a's edit: b wins, a's value is kept
        a pull
        b pull
        show
        a resolve alice.name "Alice Exemplar"
        a push
        b pull
        show b
        "#,
        expect![[r#"
            > client a as organiser
            > client b as admin
            > a create person alice name="Alice Example"
              queued #1
            > a push
              #1 applied at v17
            > b pull
              1 page(s), 17 change(s), cursor v17
            > a set alice.name "Alice Exemplar"
              queued #2
            > b set alice.name "Ally Example"
              queued #1
            > a push
              #2 applied at v18
            > b push
              #1 applied at v19, overwritten value kept as conflict 20
            > a pull
              1 page(s), 14 change(s), cursor v20
            > b pull
              1 page(s), 2 change(s), cursor v20
            > show
              server at v20:
                person alice @ward-north name="Ally Example" source="doorstep"
                conflict 20 on alice.name (open): kept "Alice Exemplar" by organiser at v18, winner "Ally Example" by admin at v19
              client a (organiser) at v20:
                person alice @ward-north name="Ally Example" source="doorstep"
                conflict 20 on alice.name: kept "Alice Exemplar", winner "Ally Example"
              client b (admin) at v20:
                person alice @ward-north name="Ally Example" source="doorstep"
                conflict 20 on alice.name: kept "Alice Exemplar", winner "Ally Example"
            > a resolve alice.name "Alice Exemplar"
              queued #3
            > a push
              #3 applied at v22
            > b pull
              1 page(s), 2 change(s), cursor v22
            > show b
              client b (admin) at v22:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
        "#]],
    );
}

#[test]
fn a_later_edit_settles_a_conflict_which_closes_everywhere() {
    check(
        r#"
        client a as organiser
        client b as admin
        a create person alice name="Alice Example" phone="07700 900123"
        a push
        b pull
        a set alice.name "Alice Exemplar"
        b set alice.name "Ally Example"
        a push
        b push                      # b had not seen a's edit: conflict 20
        a pull
        b pull
        a set alice.phone "07700 900456"   # another field: the conflict stands
        a push
        b pull
        show b
        show conflicts a
        show conflicts b
        a set alice.name "Alys Example"    # a saw "Ally Example" win, and chose anew
        show a                      # hidden on a at once: its pending edit settles it
        a push
        a pull
        b pull
        show
        "#,
        expect![[r#"
            > client a as organiser
            > client b as admin
            > a create person alice name="Alice Example" phone="07700 900123"
              queued #1
            > a push
              #1 applied at v17
            > b pull
              1 page(s), 17 change(s), cursor v17
            > a set alice.name "Alice Exemplar"
              queued #2
            > b set alice.name "Ally Example"
              queued #1
            > a push
              #2 applied at v18
            > b push
              #1 applied at v19, overwritten value kept as conflict 20
            > a pull
              1 page(s), 14 change(s), cursor v20
            > b pull
              1 page(s), 2 change(s), cursor v20
            > a set alice.phone "07700 900456"
              queued #3
            > a push
              #3 applied at v21
            > b pull
              1 page(s), 1 change(s), cursor v21
            > show b
              client b (admin) at v21:
                person alice @ward-north name="Ally Example" phone="+447700900456" source="doorstep"
                conflict 20 on alice.name: kept "Alice Exemplar", winner "Ally Example"
            > show conflicts a
              conflicts on a:
                20 on alice.name: now "Ally Example" by admin, kept "Alice Exemplar" by you
            > show conflicts b
              conflicts on b:
                20 on alice.name: now "Ally Example" by you, kept "Alice Exemplar" by organiser
            > a set alice.name "Alys Example"
              queued #4
            > show a
              client a (organiser) at v20:
                person alice @ward-north name="Alys Example" phone="+447700900456" source="doorstep"
                pending #4 set alice.name = "Alys Example" (base v19)
            > a push
              #4 applied at v22
            > a pull
              1 page(s), 2 change(s), cursor v23
            > b pull
              1 page(s), 2 change(s), cursor v23
            > show
              server at v23:
                person alice @ward-north name="Alys Example" phone="+447700900456" source="doorstep"
                conflict 20 on alice.name (closed): kept null by organiser at v18, winner null by admin at v19
              client a (organiser) at v23:
                person alice @ward-north name="Alys Example" phone="+447700900456" source="doorstep"
              client b (admin) at v23:
                person alice @ward-north name="Alys Example" phone="+447700900456" source="doorstep"
        "#]],
    );
}

#[test]
fn an_edit_that_had_not_seen_the_winner_leaves_the_conflict_open_showing_the_value_now() {
    check(
        r#"
        client a as organiser
        client b as admin
        client c as admin
        a create person alice name="Alice Example"
        a push
        b pull
        c pull
        a set alice.name "Alice Exemplar"
        b set alice.name "Ally Example"
        c set alice.name "Ali Example"
        a push
        b push                      # conflict 20 keeps a's value
        c push                      # c saw neither: 24 keeps b's value; 20, kept again as 23, shows c's now
        a pull
        show
        show conflicts a
        b set alice.name "Bea Example"  # made before b pulled: b sees its own value as the value now
        b pull
        show conflicts b
        a resolve alice.name "Alice Exemplar"   # a saw the value now, so its choice settles both
        a push
        c pull
        show c
        "#,
        expect![[r#"
            > client a as organiser
            > client b as admin
            > client c as admin
            > a create person alice name="Alice Example"
              queued #1
            > a push
              #1 applied at v17
            > b pull
              1 page(s), 17 change(s), cursor v17
            > c pull
              1 page(s), 17 change(s), cursor v17
            > a set alice.name "Alice Exemplar"
              queued #2
            > b set alice.name "Ally Example"
              queued #1
            > c set alice.name "Ali Example"
              queued #1
            > a push
              #2 applied at v18
            > b push
              #1 applied at v19, overwritten value kept as conflict 20
            > c push
              #1 applied at v21, overwritten value kept as conflict 24
            > a pull
              1 page(s), 16 change(s), cursor v24
            > show
              server at v24:
                person alice @ward-north name="Ali Example" source="doorstep"
                conflict 20 on alice.name (closed): kept null by organiser at v18, winner null by admin at v19
                conflict 23 on alice.name (open): kept "Alice Exemplar" by organiser at v18, winner "Ali Example" by admin at v21
                conflict 24 on alice.name (open): kept "Ally Example" by admin at v19, winner "Ali Example" by admin at v21
              client a (organiser) at v24:
                person alice @ward-north name="Ali Example" source="doorstep"
                conflict 23 on alice.name: kept "Alice Exemplar", winner "Ali Example"
                conflict 24 on alice.name: kept "Ally Example", winner "Ali Example"
              client b (admin) at v17:
                person alice @ward-north name="Ally Example" source="doorstep"
              client c (admin) at v17:
                person alice @ward-north name="Ali Example" source="doorstep"
            > show conflicts a
              conflicts on a:
                23 on alice.name: now "Ali Example" by admin, kept "Alice Exemplar" by you
                24 on alice.name: now "Ali Example" by admin, kept "Ally Example" by admin
            > b set alice.name "Bea Example"
              queued #2
            > b pull
              1 page(s), 4 change(s), cursor v24
            > show conflicts b
              conflicts on b:
                23 on alice.name: now "Bea Example" by you, kept "Alice Exemplar" by organiser
                24 on alice.name: now "Bea Example" by you, kept "Ally Example" by you
            > a resolve alice.name "Alice Exemplar"
              queued #3
            > a push
              #3 applied at v26
            > c pull
              1 page(s), 4 change(s), cursor v27
            > show c
              client c (admin) at v27:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
        "#]],
    );
}

#[test]
fn writing_the_kept_value_back_settles_a_conflict() {
    check(
        r#"
        client a as organiser
        client b as admin
        client c as admin
        a create person alice name="Alice Example"
        a push
        b pull
        c pull
        a set alice.name "Alice Exemplar"
        b set alice.name "Ally Example"
        c set alice.name "Alice Exemplar"  # c had seen neither, but wrote the kept value
        a push
        b push
        c push
        c pull
        show
        "#,
        expect![[r#"
            > client a as organiser
            > client b as admin
            > client c as admin
            > a create person alice name="Alice Example"
              queued #1
            > a push
              #1 applied at v17
            > b pull
              1 page(s), 17 change(s), cursor v17
            > c pull
              1 page(s), 17 change(s), cursor v17
            > a set alice.name "Alice Exemplar"
              queued #2
            > b set alice.name "Ally Example"
              queued #1
            > c set alice.name "Alice Exemplar"
              queued #1
            > a push
              #2 applied at v18
            > b push
              #1 applied at v19, overwritten value kept as conflict 20
            > c push
              #1 applied at v21, overwritten value kept as conflict 23
            > c pull
              1 page(s), 3 change(s), cursor v23
            > show
              server at v23:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
                conflict 20 on alice.name (closed): kept null by organiser at v18, winner null by admin at v19
                conflict 23 on alice.name (open): kept "Ally Example" by admin at v19, winner "Alice Exemplar" by admin at v21
              client a (organiser) at v0:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
              client b (admin) at v17:
                person alice @ward-north name="Ally Example" source="doorstep"
              client c (admin) at v23:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
                conflict 23 on alice.name: kept "Ally Example", winner "Alice Exemplar"
        "#]],
    );
}

#[test]
fn a_pull_never_hides_a_pending_edit() {
    check(
        r#"
        client a as organiser
        client b as admin
        a create person alice name="Alice Example"
        a push
        b pull
        b set alice.name "Offline Edit"
        a set alice.name "Online Edit"
        a push
        b pull                      # the server's value arrives; b still sees its own
        show b
        b push
        b pull
        show b
        "#,
        expect![[r#"
            > client a as organiser
            > client b as admin
            > a create person alice name="Alice Example"
              queued #1
            > a push
              #1 applied at v17
            > b pull
              1 page(s), 17 change(s), cursor v17
            > b set alice.name "Offline Edit"
              queued #1
            > a set alice.name "Online Edit"
              queued #2
            > a push
              #2 applied at v18
            > b pull
              1 page(s), 1 change(s), cursor v18
            > show b
              client b (admin) at v18:
                person alice @ward-north name="Offline Edit" source="doorstep"
                pending #1 set alice.name = "Offline Edit" (base v17)
            > b push
              #1 applied at v19, overwritten value kept as conflict 20
            > b pull
              1 page(s), 2 change(s), cursor v20
            > show b
              client b (admin) at v20:
                person alice @ward-north name="Offline Edit" source="doorstep"
                conflict 20 on alice.name: kept "Online Edit", winner "Offline Edit"
        "#]],
    );
}

#[test]
fn a_replayed_push_is_a_no_op_that_returns_the_stored_outcomes() {
    check(
        r#"
        client a as organiser
        a create person alice name="Alice Example"
        a set alice.name "Alice Exemplar"
        a create person bob name="Bob Sample" phone="07700 900999"
        a push lost                 # applied, but the phone never heard back
        a push                      # the same mutations again: replays
        a push again                # and once more, as a duplicated delivery
        show
        "#,
        expect![[r#"
            > client a as organiser
            > a create person alice name="Alice Example"
              queued #1
            > a set alice.name "Alice Exemplar"
              queued #2
            > a create person bob name="Bob Sample" phone="07700 900999"
              queued #3
            > a push lost
              server processed up to #3; response lost
            > a push
              #1 applied at v17
              #2 applied at v18
              #3 applied at v19
            > a push again
              #1 applied at v17
              #2 applied at v18
              #3 applied at v19
            > show
              server at v19:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
                person bob @ward-north name="Bob Sample" phone="+447700900999" source="doorstep"
              client a (organiser) at v0:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
                person bob @ward-north name="Bob Sample" phone="+447700900999" source="doorstep"
        "#]],
    );
}

#[test]
fn a_gap_is_refused_whole_and_nothing_is_applied_out_of_order() {
    check(
        r#"
        client a as organiser
        a create person alice name="Alice Example"
        a set alice.name "Alice Exemplar"
        a push from 2               # the request carrying #1 is still on its way
        show
        a push
        show
        "#,
        expect![[r#"
            > client a as organiser
            > a create person alice name="Alice Example"
              queued #1
            > a set alice.name "Alice Exemplar"
              queued #2
            > a push from 2
              refused: mutation #2 arrived before #1; send from #1 on
            > show
              server at v16:
              client a (organiser) at v0:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
                pending #1 create person alice
                pending #2 set alice.name = "Alice Exemplar" (base v0)
            > a push
              #1 applied at v17
              #2 applied at v18
            > show
              server at v18:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
              client a (organiser) at v0:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
        "#]],
    );
}

#[test]
fn rejections_stay_visible_until_discarded() {
    check(
        r#"
        client o as organiser
        client v as volunteer
        o create person alice name="Alice Example"
        o push
        v create person bob area=ward-south name="Bob Sample"   # outside the volunteer's ward
        v create person carol name="Carol Test" phone="not a phone"
        v push
        show v
        "#,
        expect![[r#"
            > client o as organiser
            > client v as volunteer
            > o create person alice name="Alice Example"
              queued #1
            > o push
              #1 applied at v17
            > v create person bob area=ward-south name="Bob Sample"
              queued #1
            > v create person carol name="Carol Test" phone="not a phone"
              refused locally: Phone is not a UK phone number (like 07700 900123) or an international one starting with +.
            > v push
              #1 rejected: not allowed: this record is outside what you may change
            > show v
              client v (volunteer) at v0:
                rejected #1: not allowed: this record is outside what you may change
        "#]],
    );
}

#[test]
fn a_delete_of_a_record_changed_since_is_rejected() {
    check(
        r#"
        client a as organiser
        client b as admin
        a create person alice name="Alice Example"
        a push
        b pull
        a set alice.name "Alice Exemplar"
        a push
        b delete alice              # b has not seen a's edit
        b push
        b pull
        b delete alice
        b push
        show
        "#,
        expect![[r#"
            > client a as organiser
            > client b as admin
            > a create person alice name="Alice Example"
              queued #1
            > a push
              #1 applied at v17
            > b pull
              1 page(s), 17 change(s), cursor v17
            > a set alice.name "Alice Exemplar"
              queued #2
            > a push
              #2 applied at v18
            > b delete alice
              queued #1
            > b push
              #1 rejected: the record was changed (at v18) after you last saw it; look again before deleting
            > b pull
              1 page(s), 1 change(s), cursor v18
            > b delete alice
              queued #2
            > b push
              #2 applied at v19
            > show
              server at v19:
                deleted: alice
              client a (organiser) at v0:
                person alice @ward-north name="Alice Exemplar" source="doorstep"
              client b (admin) at v18:
                rejected #1: the record was changed (at v18) after you last saw it; look again before deleting
        "#]],
    );
}

#[test]
fn erasure_purges_everywhere_and_nothing_comes_back() {
    check(
        r#"
        client o as organiser
        client v as volunteer
        o create person alice name="Alice Example"
        o create person bob name="Bob Sample"
        o create list walk members={alice, bob} assignees={volunteer}
        o create conversation chat person=alice notes="Worried about damp"
        o create meeting tea speaker=alice
        o push
        v pull
        show v
        v set alice.phone "07700 900123"   # offline edits touching the person about to be erased
        v create conversation doorstep person=alice outcome="not_home"
        v add bob.skills "driving"
        o set alice.name "Back Again"
        o create conversation late person=alice
        erase alice by admin
        o push                      # o has not heard of the erasure: rejected, never resurrected
        show o
        o pull                      # the purge takes the rejected entries too
        v pull
        v push                      # the purged entries reach the server as void
        v pull
        show
        o set alice.name "Once More"
        "#,
        expect![[r#"
            > client o as organiser
            > client v as volunteer
            > o create person alice name="Alice Example"
              queued #1
            > o create person bob name="Bob Sample"
              queued #2
            > o create list walk members={alice, bob} assignees={volunteer}
              queued #3
            > o create conversation chat person=alice notes="Worried about damp"
              queued #4
            > o create meeting tea speaker=alice
              queued #5
            > o push
              #1 applied at v17
              #2 applied at v18
              #3 applied at v19
              #4 applied at v20
              #5 applied at v21
            > v pull
              1 page(s), 13 change(s), cursor v21
            > show v
              client v (volunteer) at v21:
                person alice @ward-north name="Alice Example" source="doorstep"
                person bob @ward-north name="Bob Sample" source="doorstep"
                conversation chat @ward-north at=1700000000000ms by=organiser kind="doorstep" notes="Worried about damp" outcome="held" person=alice
                meeting tea @ward-north host=organiser kind="house_meeting" place="The front room" speaker=alice starts=1700000000000ms status="approved" title="House meeting"
                list walk @ward-north assignees={volunteer} kind="walk" members={alice, bob} name="Walk list"
            > v set alice.phone "07700 900123"
              queued #1
            > v create conversation doorstep person=alice outcome="not_home"
              queued #2
            > v add bob.skills "driving"
              queued #3
            > o set alice.name "Back Again"
              queued #6
            > o create conversation late person=alice
              queued #7
            > erase alice by admin
              erased at v24
            > o push
              #6 rejected: it concerns someone whose data has been erased
              #7 rejected: it concerns someone whose data has been erased
            > show o
              client o (organiser) at v0:
                person alice @ward-north name="Alice Example" source="doorstep"
                person bob @ward-north name="Bob Sample" source="doorstep"
                conversation chat @ward-north at=1700000000000ms by=organiser kind="doorstep" notes="Worried about damp" outcome="held" person=alice
                meeting tea @ward-north host=organiser kind="house_meeting" place="The front room" speaker=alice starts=1700000000000ms status="approved" title="House meeting"
                list walk @ward-north assignees={volunteer} kind="walk" members={alice, bob} name="Walk list"
                rejected #6: it concerns someone whose data has been erased
                rejected #7: it concerns someone whose data has been erased
            > o pull
              1 page(s), 15 change(s), cursor v24
              purge: erased alice and 1 related
            > v pull
              1 page(s), 11 change(s), cursor v24
              purge: scope changed (epoch v23): everything forgotten, pulled again from v0
              purge: erased alice and 1 related
            > v push
              #1 skipped (void)
              #2 skipped (void)
              #3 applied at v25
            > v pull
              1 page(s), 1 change(s), cursor v25
            > show
              server at v25:
                person bob @ward-north name="Bob Sample" skills={driving} source="doorstep"
                meeting tea @ward-north host=organiser kind="house_meeting" place="The front room" starts=1700000000000ms status="approved" title="House meeting"
                list walk @ward-north assignees={volunteer} kind="walk" members={bob} name="Walk list"
                erased forever: alice, chat
              client o (organiser) at v24:
                person bob @ward-north name="Bob Sample" source="doorstep"
                meeting tea @ward-north host=organiser kind="house_meeting" place="The front room" starts=1700000000000ms status="approved" title="House meeting"
                list walk @ward-north assignees={volunteer} kind="walk" members={bob} name="Walk list"
              client v (volunteer) at v25:
                person bob @ward-north name="Bob Sample" skills={driving} source="doorstep"
                meeting tea @ward-north host=organiser kind="house_meeting" place="The front room" starts=1700000000000ms status="approved" title="House meeting"
                list walk @ward-north assignees={volunteer} kind="walk" members={bob} name="Walk list"
            > o set alice.name "Once More"
              refused locally: it concerns someone whose data has been erased
        "#]],
    );
}

#[test]
fn a_scope_change_purges_and_re_pulls() {
    check(
        r#"
        client o as organiser
        client v as volunteer
        o create person alice name="Alice Example"
        o create person bob name="Bob Sample"
        o create list walk members={alice} assignees={volunteer}
        o create conversation chat person=alice outcome="do_not_knock"
        o push
        v pull
        show v
        o remove walk.members alice  # alice leaves the volunteer's list
        o push
        v pull
        show v
        o add walk.members bob
        o push
        v pull
        show v
        revoke volunteer volunteer ward-north
        v pull
        show v
        "#,
        expect![[r#"
            > client o as organiser
            > client v as volunteer
            > o create person alice name="Alice Example"
              queued #1
            > o create person bob name="Bob Sample"
              queued #2
            > o create list walk members={alice} assignees={volunteer}
              queued #3
            > o create conversation chat person=alice outcome="do_not_knock"
              queued #4
            > o push
              #1 applied at v17
              #2 applied at v18
              #3 applied at v19
              #4 applied at v20
            > v pull
              1 page(s), 11 change(s), cursor v20
            > show v
              client v (volunteer) at v20:
                person alice @ward-north name="Alice Example" source="doorstep"
                conversation chat @ward-north at=1700000000000ms by=organiser kind="doorstep" outcome="do_not_knock" person=alice
                list walk @ward-north assignees={volunteer} kind="walk" members={alice} name="Walk list"
            > o remove walk.members alice
              queued #5
            > o push
              #5 applied at v21
            > v pull
              1 page(s), 9 change(s), cursor v21
              purge: scope changed (epoch v21): everything forgotten, pulled again from v0
            > show v
              client v (volunteer) at v21:
                list walk @ward-north assignees={volunteer} kind="walk" name="Walk list"
            > o add walk.members bob
              queued #6
            > o push
              #6 applied at v22
            > v pull
              1 page(s), 10 change(s), cursor v22
              purge: scope changed (epoch v22): everything forgotten, pulled again from v0
            > show v
              client v (volunteer) at v22:
                person bob @ward-north name="Bob Sample" source="doorstep"
                list walk @ward-north assignees={volunteer} kind="walk" members={bob} name="Walk list"
            > revoke volunteer volunteer ward-north
              #1 applied at v23
            > v pull
              1 page(s), 8 change(s), cursor v23
              purge: scope changed (epoch v23): everything forgotten, pulled again from v0
            > show v
              client v (volunteer) at v23:
        "#]],
    );
}

## The ladder of engagement: an area's chart, the organisation's rungs, a person's place on it

ladder-title = The ladder
ladder-for-organisers = The ladder of engagement is kept by organisers: who has moved from supporter to volunteer, host and leader, and who moved them.
ladder-area = Area
ladder-area-note = Everyone in the area and in the areas within it.
ladder-chart = People on each rung
ladder-on = { NUMBER($count) ->
    [one] One person is on the ladder.
   *[other] { $count } people are on the ladder.
}
ladder-people = { NUMBER($count) ->
    [one] 1 person
   *[other] { $count } people
}
ladder-not-on = { NUMBER($count) ->
    [one] 1 person in the area is not on the ladder yet.
   *[other] { $count } people in the area are not on the ladder yet.
}
ladder-retired-rung = { $name } (retired)
ladder-recent = Moved in the last 30 days
ladder-no-recent = Nobody in this area has moved in the last 30 days.
ladder-onto = Onto the ladder as { $to }
ladder-up = Up from { $from } to { $to }
ladder-down = Down from { $from } to { $to }
ladder-from-to = From { $from } to { $to }
ladder-when-by = { $date }, by { $name }
ladder-someone = Someone not on this device
ladder-unknown-rung = A rung not on this device
ladder-rungs = The rungs
ladder-rungs-note = The whole organisation's ladder, lowest first. A rung is never deleted, as people's moves name it: retire a rung nobody should be moved to any more.
ladder-rungs-saved = Saved.
ladder-rung-added = Rung added at the top.
ladder-rung-new = New rung
ladder-rung-add = Add rung
ladder-rung-name = Name of { $name }
ladder-rung-rename = Rename
ladder-rung-higher = Higher: { $name }
ladder-rung-lower = Lower: { $name }
ladder-higher = Higher
ladder-lower = Lower
ladder-retire = Retire { $name }
ladder-restore = Restore { $name }
ladder-person = On the ladder
ladder-on-rung = On the ladder as { $name }.
ladder-not-yet = Not on the ladder yet.
ladder-moved = Moved to { $name }.
ladder-choose-rung = Choose the rung to move them to.
ladder-move-up = Move up to { $name }
ladder-move-up-named = Move up to { $name }: { $person }
ladder-move-other = Move to another rung
ladder-rung = Rung
ladder-choose = Choose a rung
ladder-why = Why (optional)
ladder-move = Move
ladder-history = History
ladder-no-history = No moves yet.
ladder-after-one-to-one = after a one-to-one
ladder-after-meeting = at a meeting

## The walk lists

lists = Walk lists
lists-new = New walk list
lists-none = No walk lists yet. When an organiser gives you one, it appears here, even without signal.
lists-done = { NUMBER($done) } of { $count ->
    [one] { $count } door
   *[other] { $count } doors
} done

## One walk list, door by door

list-not-found = Walk list not found
list-not-on-phone = It is not on this phone: it may have been taken off you, or not synced yet.
list-back = Back to walk lists
list-progress = { NUMBER($done) } of { $count ->
    [one] { $count } door
   *[other] { $count } doors
} done, { NUMBER($left) } left. { $held ->
    [one] { $held } conversation
   *[other] { $held } conversations
}.
list-all-sent = Every knock recorded on this list has been sent.
# $doors is a count of doors, worded ("3 doors").
list-waiting = { $doors } on this list { $count ->
    [one] is
   *[other] are
} on this phone only, waiting to be sent.
list-next-door = Next door
list-cancel = Cancel
list-mark-several = Mark several not home
list-mark-not-home = Not home: { $count ->
    [one] { $count } door
   *[other] { $count } doors
}
list-marked-not-home = Marked { $count ->
    [one] { $count } door
   *[other] { $count } doors
} not home.
list-doors = Doors in walking order
list-select = Select { $address }
list-door-done = · done

## Building a new walk list

new-list = New walk list
new-list-name = Name
new-list-name-example = Canal Side, Saturday
new-list-area = Area
new-list-street = Street
new-list-every-street = Every street
new-list-who = Who to knock
new-list-everyone = Everyone
new-list-not-talked-to = Only people nobody has talked to yet
new-list-not-home = Only people not home last time
new-list-tag = With the tag
new-list-any-tag = Any tag or none
# What a new list would hold: $doors and $people are counts, worded ("41 doors", "103 people"),
# as the list's page counts them once it is made.
new-list-holds = { $doors }, { $people } on this list.
# $people is a count of people, worded ("2 people").
new-list-left-out = { $people } left out: they asked not to be knocked again or moved away.
new-list-give-to = Give it to
new-list-save = Save walk list
new-list-choose-area = Choose an area.
new-list-nobody = Nobody to knock there: choose another area, street or filter.

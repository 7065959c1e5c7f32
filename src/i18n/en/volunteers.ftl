## Volunteers from listening

volunteers-title = Find volunteers
volunteers-for-organisers = Finding volunteers is for organisers.
volunteers-intro = Pick an issue to find who raised it and offered to help, or a skill, or both.
volunteers-area = Where
volunteers-area-note = The area and every ward in it.
volunteers-issue = Issue they raised
volunteers-any-issue = Any issue
volunteers-skill = Skill
volunteers-any-skill = Any skill
volunteers-choose = Choose an issue or a skill to find people.
volunteers-found = { $count ->
    [one] { $count } person found.
   *[other] { $count } people found.
}
volunteers-more = { $count ->
    [one] and { $count } more, who go on the list too.
   *[other] and { $count } more, who go on the list too.
}
volunteers-list = People found
volunteers-raised = raised it
volunteers-offered-volunteer = offered to volunteer
volunteers-offered-host = offered to host
volunteers-save-heading = Save them as a list
volunteers-name = List name
volunteers-walk-note = They go on a walk list, door by door, like any other.
volunteers-save = Save list

## Counts, worded the same on every screen

count-doors = { $count ->
    [one] { $count } door
   *[other] { $count } doors
}
count-people = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
count-conversations = { $count ->
    [one] { $count } conversation
   *[other] { $count } conversations
}
count-changes = { $count ->
    [one] { $count } change
   *[other] { $count } changes
}
# The last two of a list of counts: "2 doors and 1 conversation".
count-and = { $first } and { $last }
show-more-doors = { $count ->
    [one] Show { $count } more door
   *[other] Show { $count } more doors
}
show-more-people = { $count ->
    [one] Show { $count } more person
   *[other] Show { $count } more people
}

## Dates

date-short = { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $year }

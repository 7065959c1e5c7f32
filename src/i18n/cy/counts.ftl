## Counts, worded the same on every screen

count-doors = { $count ->
    [zero] { $count } drws
    [one] { $count } drws
    [two] { $count } ddrws
    [few] { $count } drws
    [many] { $count } drws
   *[other] { $count } o ddrysau
}
count-people = { $count ->
    [one] { $count } person
    [two] { $count } berson
    [few] { $count } pherson
    [many] { $count } pherson
   *[other] { $count } o bobl
}
count-conversations = { $count ->
    [one] { $count } sgwrs
    [two] { $count } sgwrs
    [few] { $count } sgwrs
    [many] { $count } sgwrs
   *[other] { $count } o sgyrsiau
}
count-changes = { $count ->
    [one] { $count } newid
    [two] { $count } newid
    [few] { $count } newid
    [many] { $count } newid
   *[other] { $count } o newidiadau
}
count-and = { $first } a { $last }
show-more-doors = { $count ->
    [one] Dangos { $count } drws arall
    [two] Dangos { $count } ddrws arall
   *[other] Dangos { $count } drws arall
}
show-more-people = { $count ->
    [one] Dangos { $count } person arall
    [two] Dangos { $count } berson arall
   *[other] Dangos { $count } person arall
}

## Dates

date-short = { $day } { $month ->
    [1] Ion
    [2] Chwef
    [3] Maw
    [4] Ebr
    [5] Mai
    [6] Meh
    [7] Gorff
    [8] Awst
    [9] Medi
    [10] Hyd
    [11] Tach
   *[12] Rhag
} { $year }

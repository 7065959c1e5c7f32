## The walk lists

lists = Rhestrau canfasio
lists-new = Rhestr ganfasio newydd
lists-none = Dim rhestrau canfasio eto. Pan fydd trefnydd yn rhoi un i chi, bydd yn ymddangos yma, hyd yn oed heb signal.
lists-done = { NUMBER($done) } o { $count ->
    [zero] { $count } drws
    [one] { $count } drws
    [two] { $count } ddrws
    [few] { $count } drws
    [many] { $count } drws
   *[other] { $count } o ddrysau
} wedi'u gwneud

## One walk list, door by door

list-not-found = Heb ddod o hyd i'r rhestr ganfasio
list-not-on-phone = Nid yw ar y ffôn hwn: efallai ei bod wedi'i thynnu oddi arnoch, neu heb ei chysoni eto.
list-back = Yn ôl i'r rhestrau canfasio
list-progress = { NUMBER($done) } o { $count ->
    [zero] { $count } drws
    [one] { $count } drws
    [two] { $count } ddrws
    [few] { $count } drws
    [many] { $count } drws
   *[other] { $count } o ddrysau
} wedi'u gwneud, { NUMBER($left) } ar ôl. { $held ->
    [zero] { $held } sgwrs
    [one] { $held } sgwrs
    [two] { $held } sgwrs
    [few] { $held } sgwrs
    [many] { $held } sgwrs
   *[other] { $held } o sgyrsiau
}.
list-all-sent = Mae pob cnoc a gofnodwyd ar y rhestr hon wedi'i hanfon.
list-waiting = { $count ->
    [one] Mae { $doors } ar y rhestr hon ar y ffôn hwn yn unig, yn aros i'w anfon.
   *[other] Mae { $doors } ar y rhestr hon ar y ffôn hwn yn unig, yn aros i'w hanfon.
}
list-next-door = Y drws nesaf
list-cancel = Canslo
list-mark-several = Marcio sawl drws yn neb gartref
list-mark-not-home = Neb gartref: { $count ->
    [zero] { $count } drws
    [one] { $count } drws
    [two] { $count } ddrws
    [few] { $count } drws
    [many] { $count } drws
   *[other] { $count } o ddrysau
}
list-marked-not-home = Marciwyd { $count ->
    [zero] { $count } drws
    [one] { $count } drws
    [two] { $count } ddrws
    [few] { $count } drws
    [many] { $count } drws
   *[other] { $count } o ddrysau
} yn neb gartref.
list-doors = Drysau yn y drefn gerdded
list-select = Dewis { $address }
list-door-done = · wedi'i wneud

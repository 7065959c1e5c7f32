## Ysgol ymgysylltu: siart ardal, grisiau'r sefydliad, a lle person arni
##
## The ladder is "yr ysgol" (feminine: "arni"), as in home.ftl; the ladder of engagement is
## "yr ysgol ymgysylltu". A rung is "gris" (masculine, plural "grisiau"; "i ris", "Dewiswch
## ris" after the soft mutation). To retire a rung is "rhoi o'r neilltu", to restore it
## "adfer". A one-to-one is "sgwrs un-i-un", as in week.ftl; "person" counts as in counts.ftl.

ladder-title = Yr ysgol
ladder-for-organisers = Trefnwyr sy'n cadw'r ysgol ymgysylltu: pwy sydd wedi symud o fod yn gefnogwr i fod yn wirfoddolwr, yn westeiwr ac yn arweinydd, a phwy a'u symudodd.
ladder-area = Ardal
ladder-area-note = Pawb yn yr ardal ac yn yr ardaloedd oddi mewn iddi.
ladder-chart = Pobl ar bob gris
ladder-on = { NUMBER($count) ->
    [zero] Mae { $count } o bobl ar yr ysgol.
    [one] Mae un person ar yr ysgol.
    [two] Mae { $count } berson ar yr ysgol.
    [few] Mae { $count } pherson ar yr ysgol.
    [many] Mae { $count } pherson ar yr ysgol.
   *[other] Mae { $count } o bobl ar yr ysgol.
}
ladder-people = { NUMBER($count) ->
    [zero] { $count } o bobl
    [one] { $count } person
    [two] { $count } berson
    [few] { $count } pherson
    [many] { $count } pherson
   *[other] { $count } o bobl
}
ladder-not-on = { NUMBER($count) ->
    [zero] Mae { $count } o bobl yn yr ardal nad ydyn nhw ar yr ysgol eto.
    [one] Mae { $count } person yn yr ardal nad yw ar yr ysgol eto.
    [two] Mae { $count } berson yn yr ardal nad ydyn nhw ar yr ysgol eto.
    [few] Mae { $count } pherson yn yr ardal nad ydyn nhw ar yr ysgol eto.
    [many] Mae { $count } pherson yn yr ardal nad ydyn nhw ar yr ysgol eto.
   *[other] Mae { $count } o bobl yn yr ardal nad ydyn nhw ar yr ysgol eto.
}
ladder-retired-rung = { $name } (o'r neilltu)
ladder-recent = Wedi symud yn y 30 diwrnod diwethaf
ladder-no-recent = Does neb yn yr ardal hon wedi symud yn y 30 diwrnod diwethaf.
ladder-onto = Ymuno â'r ysgol fel { $to }
ladder-up = I fyny o { $from } i { $to }
ladder-down = I lawr o { $from } i { $to }
ladder-from-to = O { $from } i { $to }
ladder-when-by = { $date }, gan { $name }
ladder-someone = Rhywun nad yw ar y ddyfais hon
ladder-unknown-rung = Gris nad yw ar y ddyfais hon
ladder-rungs = Y grisiau
ladder-rungs-note = Ysgol y sefydliad cyfan, o'r gris isaf i fyny. Nid yw gris byth yn cael ei ddileu, gan fod symudiadau pobl yn ei enwi: rhowch y gris o'r neilltu os na ddylai neb gael ei symud iddo mwyach.
ladder-rungs-saved = Wedi'i gadw.
ladder-rung-added = Gris wedi'i ychwanegu ar y brig.
ladder-rung-new = Gris newydd
ladder-rung-add = Ychwanegu gris
ladder-rung-name = Enw { $name }
ladder-rung-rename = Ailenwi
ladder-rung-higher = Yn uwch: { $name }
ladder-rung-lower = Yn is: { $name }
ladder-higher = Yn uwch
ladder-lower = Yn is
ladder-retire = Rhoi { $name } o'r neilltu
ladder-restore = Adfer { $name }
ladder-person = Ar yr ysgol
ladder-on-rung = Ar yr ysgol fel { $name }.
ladder-not-yet = Ddim ar yr ysgol eto.
ladder-moved = Wedi symud i { $name }.
ladder-choose-rung = Dewiswch y gris i'w symud nhw iddo.
ladder-move-up = Symud i fyny i { $name }
ladder-move-up-named = Symud i fyny i { $name }: { $person }
ladder-move-other = Symud i ris arall
ladder-rung = Gris
ladder-choose = Dewiswch ris
ladder-why = Pam (dewisol)
ladder-move = Symud
ladder-history = Hanes
ladder-no-history = Dim symudiadau eto.
ladder-after-one-to-one = ar ôl sgwrs un-i-un
ladder-after-meeting = mewn cyfarfod

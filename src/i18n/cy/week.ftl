## The organiser's week: one-to-ones against the weekly target, next steps, the team
##
## A one-to-one is "sgwrs un-i-un" (feminine: "ei chynnal"); "sgwrs" does not mutate after
## a number, and takes "o sgyrsiau" for the larger numbers, as in counts.ftl.

week-title = Fy wythnos
week-log = Cofnodi sgwrs un-i-un
week-someone = Rhywun nad yw ar y ddyfais hon
week-this-week = Yr wythnos yn dechrau { $monday }
week-count = { NUMBER($count) } o'r { NUMBER($target) } sgwrs un-i-un
week-to-go = { NUMBER($count) } arall i gyrraedd y targed.
week-reached = Wedi cyrraedd y targed yr wythnos hon.
week-late = { NUMBER($count) ->
    [zero] Cofnodwyd { $count } o sgyrsiau fwy na phythefnos ar ôl eu cynnal.
    [one] Cofnodwyd { $count } sgwrs fwy na phythefnos ar ôl ei chynnal.
    [two] Cofnodwyd { $count } sgwrs fwy na phythefnos ar ôl eu cynnal.
    [few] Cofnodwyd { $count } sgwrs fwy na phythefnos ar ôl eu cynnal.
    [many] Cofnodwyd { $count } sgwrs fwy na phythefnos ar ôl eu cynnal.
   *[other] Cofnodwyd { $count } o sgyrsiau fwy na phythefnos ar ôl eu cynnal.
}
week-trend = Y deuddeg wythnos ddiwethaf
week-trend-key = Bar ar gyfer pob wythnos, yr hynaf yn gyntaf, wedi'i lenwi lle cyrhaeddodd yr wythnos ei tharged; y llinell yw'r targed.
week-trend-week = Wythnos yn dechrau
week-trend-held = Sgyrsiau un-i-un
week-trend-target = Targed
week-next-steps = Camau nesaf
week-no-steps = Does dim camau nesaf yn aros.
week-overdue = Yn hwyr ers { $date }
week-due = Erbyn { $date }
week-done = Wedi'i wneud
week-step-done = Wedi'i farcio'n gyflawn.
week-step-done-for = Marcio wedi'i wneud: { $step }, gyda { $name }
week-team = Eich tîm yr wythnos hon
week-team-note = Sgyrsiau un-i-un pob trefnydd yn erbyn ei darged ei hun, yn ôl enw. Mae targed newydd yn dod i rym o'r wythnos nesaf.
week-team-organiser = Trefnydd
week-team-held = Yr wythnos hon
week-team-target = Targed wythnosol newydd
week-target-for = Targed wythnosol ar gyfer { $name }
week-target-save = Gosod
week-target-number = Rhowch rif cyfan o 1 i 100.
week-target-set = Targed { $name } yw { NUMBER($count) } yr wythnos o { $date } ymlaen.
week-log-title = Cofnodi sgwrs un-i-un
week-with = Gyda phwy oedd y sgwrs?
week-find-person = Chwilio amdanyn nhw yn ôl enw, ffôn neu e-bost
week-change-person = Rhywun arall
week-someone-new = Rhywun newydd
week-name = Eu henw
week-phone = Eu rhif ffôn (dewisol)
week-area = Eu hardal
week-held-on = Pryd cafodd y sgwrs ei chynnal?
week-late-warning = Mwy na phythefnos yn ôl: bydd yn cyfrif, gyda nodyn ei bod wedi'i chofnodi'n hwyr.
week-kind = Math o sgwrs un-i-un
week-kind-introduction = Cyflwyniad
week-kind-maintenance = Cadw mewn cysylltiad
week-kind-escalation = Gofyn mwy ganddyn nhw
week-issues = Beth sy'n bwysig iddyn nhw
week-story = Eu stori, yn eu geiriau eu hunain (dewisol)
week-story-consent = Pa mor bell y caiff eu stori deithio?
week-story-consent-choose = Dewiswch, os adroddon nhw stori
week-story-private = Trefnwyr yn unig
week-story-anonymised = Ei rhannu heb eu henw
week-story-named = Ei rhannu gyda'u henw
week-interest = Diddordeb mewn gweithredu (1 ychydig, 5 llawer iawn)
week-leadership = Arweinyddiaeth a ddangoswyd (1 ychydig, 5 llawer iawn)
week-organisation = Eu sefydliad
week-organisation-none = Dim, neu ddim yn hysbys
week-move-to = Eu symud ar yr ysgol
week-move-to-none = Dim nawr
week-next-step = Y cam nesaf a gytunwyd (dewisol)
week-next-step-due = Gwneud y cam nesaf erbyn (dewisol)
week-save = Cadw'r sgwrs un-i-un
week-due-after-held = Ni all y cam nesaf fod yn ddyledus cyn y diwrnod y cynhaliwyd y sgwrs un-i-un.
week-for-organisers = Mae Fy wythnos ar gyfer trefnwyr: mae'n cyfrif y sgyrsiau un-i-un maen nhw'n eu cynnal yn erbyn eu targed wythnosol.

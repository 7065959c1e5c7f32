## Meetings: house meetings, launch meetings, trainings and public meetings, and sign-in at them
##
## "Sign in" at a meeting (the kiosk, and signing in on one's own phone) is "cofrestru":
## putting your name down as here. "Mewngofnodi" is only for signing in to an account.

meetings = Cyfarfodydd
meetings-new = Cyfarfod newydd
meetings-none = Dim cyfarfodydd eto.
meetings-waiting = Yn aros am gymeradwyaeth
meetings-coming-up = Ar y gweill
meetings-held = Wedi'u cynnal
meetings-kind = Math o gyfarfod
meetings-kind-house = Cyfarfod yn y cartref
meetings-kind-launch = Cyfarfod lansio
meetings-kind-training = Hyfforddiant
meetings-kind-public = Cyfarfod cyhoeddus
meetings-came = { NUMBER($count) ->
    [zero] Daeth { $count } o bobl.
    [one] Daeth { $count } person.
    [two] Daeth { $count } berson.
    [few] Daeth { $count } pherson.
    [many] Daeth { $count } pherson.
   *[other] Daeth { $count } o bobl.
}
meetings-coming = { NUMBER($coming) } yn dod, { NUMBER($invited) } wedi cael gwahoddiad.
meetings-proposal-waits = Mae cyfarfod rydych chi'n ei gynnig yn aros i drefnydd yn ei ardal ei gymeradwyo.
meetings-title = Teitl
meetings-area = Ardal
meetings-place = Ble
meetings-starts = Yn dechrau
meetings-ends = Yn gorffen
meetings-capacity = Faint sy'n ffitio (gadewch yn wag os nad oes terfyn)
meetings-capacity-number = Rhowch rif cyfan, fel 12, neu gadewch yn wag.
meetings-ends-after-start = Rhaid i'r diwedd fod ar ôl y dechrau.
meetings-save = Cadw'r cyfarfod
meetings-not-here = Nid yw'r cyfarfod hwn ar y ffôn hwn.
meetings-hosted-by = Yn cael ei gynnal gan { $name }
meetings-waiting-for-approval = Mae'r cyfarfod hwn yn aros i drefnydd yn ei ardal ei gymeradwyo.
meetings-approve = Cymeradwyo'r cyfarfod
meetings-someone = Rhywun nad yw ar y ffôn hwn
meetings-status-invited = Wedi cael gwahoddiad
meetings-status-coming = Yn dod
meetings-status-waiting = Ar y rhestr aros
meetings-status-came = Wedi dod
meetings-status-no-show = Heb ddod
meetings-status-declined = Methu dod
meetings-status-would-host = { $status }, yn fodlon cynnal cyfarfod
meetings-turnout = Pwy sy'n dod a phwy ddaeth
meetings-count-invited = { NUMBER($count) } wedi cael gwahoddiad
meetings-count-coming = { NUMBER($count) } yn dod
meetings-count-waiting = { NUMBER($count) } yn aros
meetings-count-declined = { NUMBER($count) } yn methu dod
meetings-count-came = { NUMBER($count) } wedi dod
meetings-count-walk-ins = { NUMBER($count) ->
    [zero] { $count } o bobl wedi galw heibio
    [one] { $count } person wedi galw heibio
    [two] { $count } berson wedi galw heibio
    [few] { $count } pherson wedi galw heibio
    [many] { $count } pherson wedi galw heibio
   *[other] { $count } o bobl wedi galw heibio
}
meetings-count-counted = { NUMBER($count) } wedi'u cyfrif heb fanylion
meetings-count-no-shows = { NUMBER($count) } heb ddod
meetings-count-would-host = { NUMBER($count) ->
    [zero] { $count } yn fodlon cynnal cyfarfodydd
    [one] { $count } yn fodlon cynnal cyfarfod
    [two] { $count } yn fodlon cynnal cyfarfodydd
    [few] { $count } yn fodlon cynnal cyfarfodydd
    [many] { $count } yn fodlon cynnal cyfarfodydd
   *[other] { $count } yn fodlon cynnal cyfarfodydd
}
meetings-invite = Gwahodd pobl
meetings-invite-search = Chwilio am rywun yn ôl enw, ffôn neu e-bost
meetings-invite-one = Gwahodd
meetings-invite-person = Gwahodd { $name }
meetings-invited = Mae { $name } wedi cael gwahoddiad.
meetings-invited-already = Mae { $name } ar restr y cyfarfod hwn yn barod.
meetings-move = Newid yr amser neu'r lle
meetings-move-save = Cadw'r amser a'r lle
meetings-moved = Mae'r amser a'r lle newydd wedi'u cadw.
meetings-sign-in = Cofrestru ar y noson
meetings-sign-in-explained = Mae hyn yn troi'r ffôn hwn neu'r dabled hon yn ffurflen gofrestru ar gyfer y cyfarfod hwn. Mae'n gweithio heb signal, yn clirio ar ôl pob person a byth yn dangos pwy sydd wedi cofrestru o'r blaen. Bydd angen y PIN rydych chi'n ei ddewis yma arnoch chi i'w adael.
meetings-start-sign-in = Dechrau cofrestru
meetings-prepare = Paratoi'r cofrestru
meetings-prepare-explained = Gwnewch hyn tra bo gennych chi signal. Mae'n rhoi ar y ffôn hwn yr hyn sydd ei angen i adnabod pobl { $area } sydd wedi cwrdd â ni o'r blaen, a'r cod i bobl gofrestru ar eu ffonau eu hunain. Does dim rhifau ffôn na chyfeiriadau e-bost yn cael eu cadw arno, dim ond eu ffurf wedi'i sgramblo ac enwau cyntaf, ac maen nhw'n diflannu pan fyddwch chi'n gadael y cofrestru.
meetings-preparing = Wrthi'n paratoi…
meetings-prepared = { NUMBER($count) ->
    [zero] Paratowyd { DATETIME($at) }: mae modd adnabod { $count } o bobl.
    [one] Paratowyd { DATETIME($at) }: mae modd adnabod { $count } person.
    [two] Paratowyd { DATETIME($at) }: mae modd adnabod { $count } berson.
    [few] Paratowyd { DATETIME($at) }: mae modd adnabod { $count } pherson.
    [many] Paratowyd { DATETIME($at) }: mae modd adnabod { $count } pherson.
   *[other] Paratowyd { DATETIME($at) }: mae modd adnabod { $count } o bobl.
}
meetings-prepared-partly = Mae'r ardal yn rhy fawr i ddal pawb: dim ond rhai pobl y mae modd eu hadnabod.
meetings-not-prepared = Heb baratoi: dim ond pobl sydd ar y ffôn hwn fydd yn cael eu hadnabod.
meetings-prepare-again = Paratoi eto
meetings-prepare-needs-connection = Mae angen cysylltiad i baratoi. Mae cofrestru'n dal i weithio hebddo, ond dim ond pobl sydd ar y ffôn hwn fydd yn cael eu hadnabod.

kiosk-choose-pin = Dewiswch PIN i adael y cofrestru (4 i 8 digid)
kiosk-pin-rule = Rhaid i'r PIN fod rhwng 4 ac 8 digid.
kiosk-welcome = Croeso i { $title }
kiosk-signed-in-so-far = { NUMBER($count) ->
    [zero] Mae { $count } o bobl wedi cofrestru hyd yma.
    [one] Mae { $count } person wedi cofrestru hyd yma.
    [two] Mae { $count } berson wedi cofrestru hyd yma.
    [few] Mae { $count } pherson wedi cofrestru hyd yma.
    [many] Mae { $count } pherson wedi cofrestru hyd yma.
   *[other] Mae { $count } o bobl wedi cofrestru hyd yma.
}
kiosk-under-16 = Rydw i o dan 16 oed
kiosk-name = Eich enw
kiosk-phone = Rhif ffôn symudol neu ffôn arall
kiosk-email = E-bost
kiosk-postcode = Cod post
kiosk-may-we = Sut gawn ni gadw mewn cysylltiad?
kiosk-consent-sms = Anfonwch neges destun ata i
kiosk-consent-phone = Ffoniwch fi
kiosk-consent-email = Anfonwch e-bost ata i
kiosk-no-consent-kept = Os na thiciwch chi ddim, byddwn ni'n eich cyfrif chi'n bresennol ond ni fyddwn ni'n cadw dim amdanoch chi.
kiosk-would-host = Byddwn i'n fodlon cynnal cyfarfod
kiosk-what-matters = Beth sy'n bwysig i chi?
kiosk-sign-in = Cofrestru
kiosk-is-it-you = Ydyn ni wedi cwrdd o'r blaen?
kiosk-yes-i-am = Ydyn, { $name } ydw i
kiosk-no-new = Nac ydyn, rydw i'n newydd
kiosk-thanks = Diolch, rydych chi wedi cofrestru. Y person nesaf, os gwelwch yn dda.
kiosk-thanks-counted = Diolch, rydych chi wedi'ch cyfrif. Y person nesaf, os gwelwch yn dda.
kiosk-thanks-nothing-kept = Diolch, rydych chi wedi'ch cyfrif a dydyn ni ddim wedi cadw dim amdanoch chi. Y person nesaf, os gwelwch yn dda.
kiosk-thanks-already = Roeddech chi wedi cofrestru'n barod. Y person nesaf, os gwelwch yn dda.
kiosk-email-needed = Rhowch gyfeiriad e-bost i gael e-bost, neu tynnwch y tic o Anfonwch e-bost ata i.
kiosk-phone-needed = Rhowch rif ffôn i gael neges destun neu alwad, neu tynnwch y tic o Anfonwch neges destun ata i a Ffoniwch fi.
kiosk-leave = Gadael y cofrestru (gwesteiwr)
kiosk-host-pin = PIN y gwesteiwr
kiosk-leave-now = Gadael y cofrestru
kiosk-stay = Parhau â'r cofrestru
kiosk-wrong-pin = Nid dyna'r PIN. Mae'r cofrestru'n parhau.
meetings-approve-and-trust = Cymeradwyo ac ymddiried yn y gwesteiwr hwn
meetings-trust-explained = Does dim angen cymeradwyo cyfarfodydd nesaf gwesteiwr rydych chi'n ymddiried ynddo.
meetings-follow-up = Camau dilynol
meetings-follow-up-by = { NUMBER($count) ->
    [zero] Trefnwch sgwrs un-i-un gyda phob un o'r { $count } a ddaeth, erbyn { $date }.
    [one] Trefnwch sgwrs un-i-un gyda'r { $count } person a ddaeth, erbyn { $date }.
    [two] Trefnwch sgwrs un-i-un gyda phob un o'r { $count } a ddaeth, erbyn { $date }.
    [few] Trefnwch sgwrs un-i-un gyda phob un o'r { $count } a ddaeth, erbyn { $date }.
    [many] Trefnwch sgwrs un-i-un gyda phob un o'r { $count } a ddaeth, erbyn { $date }.
   *[other] Trefnwch sgwrs un-i-un gyda phob un o'r { $count } a ddaeth, erbyn { $date }.
}
meetings-chain = Sut tyfodd y cyfarfodydd
meetings-grew-from = Tyfodd o
meetings-led-to = Arweiniodd at
meetings-grew-from-choice = Y cyfarfod y daeth y gwesteiwr ohono
meetings-grew-from-none = Dim un
meetings-of-replies = { NUMBER($came) } o'r { NUMBER($replied) } a ddywedodd y bydden nhw'n dod.
meetings-hosts-found = { NUMBER($count) ->
    [zero] Cafwyd { $count } o westeiwyr newydd.
    [one] Cafwyd { $count } gwesteiwr newydd.
    [two] Cafwyd { $count } westeiwr newydd.
    [few] Cafwyd { $count } gwesteiwr newydd.
    [many] Cafwyd { $count } gwesteiwr newydd.
   *[other] Cafwyd { $count } o westeiwyr newydd.
}
meetings-speaker-is = Siaradwr: { $name }
meetings-make-speaker = Siaradwr
meetings-make-speaker-person = Gwneud { $name } yn siaradwr
meetings-speaker-named = { $name } yw'r siaradwr.
kiosk-code-label = Cod QR i gofrestru ar eich ffôn eich hun
kiosk-code-caption = Neu sganiwch hwn i gofrestru ar eich ffôn eich hun.

rsvp = Ateb gwahoddiad i gyfarfod
rsvp-checking = Yn gwirio'r ddolen…
rsvp-link-over = Nid yw'r ddolen hon yn gweithio mwyach: mae'r cyfarfod wedi dechrau, wedi dod i ben neu wedi'i ganslo. Gofynnwch i'r sawl a'i hanfonodd am y manylion diweddaraf.
rsvp-too-many = Gormod o ymdrechion o'r fan hon ar hyn o bryd. Arhoswch funud a rhowch gynnig arall arni.
rsvp-not-a-link = Nid yw'r ddolen hon yn gweithio. Gwiriwch fod y ddolen gyfan wedi'i chopïo, neu gofynnwch i'r sawl a'i hanfonodd ei hanfon eto.
rsvp-offline = Does dim cysylltiad ar hyn o bryd. Rhowch gynnig arall arni pan fydd signal.
rsvp-when = { $from } tan { $to }
rsvp-will-you-come = Fyddwch chi'n dod?
rsvp-full = Mae'r cyfarfod hwn yn llawn. Atebwch ac fe fyddwch chi ar y rhestr aros: byddwn ni'n rhoi gwybod i chi os daw lle yn rhydd.
rsvp-nothing-shown = Dydyn ni byth yn dangos pwy arall sy'n dod.
rsvp-send = Ateb
rsvp-done = Diolch, edrychwn ymlaen at eich gweld chi yno.
rsvp-waiting = Diolch. Mae'r cyfarfod yn llawn, felly rydych chi ar y rhestr aros: byddwn ni'n rhoi gwybod i chi os daw lle yn rhydd.
rsvp-signed-in = Diolch, rydych chi wedi cofrestru. Mwynhewch y cyfarfod.
rsvp-signed-in-counted = Diolch, rydych chi wedi'ch cyfrif yn bresennol. Mwynhewch y cyfarfod.
meetings-reply-link = Gwahodd drwy ddolen
meetings-reply-link-explained = Dolen y gall unrhyw un ei defnyddio i ateb, heb gyfrif: anfonwch hi drwy WhatsApp, neges destun neu e-bost. Mae'n gweithio nes bod y cyfarfod yn dechrau a byth yn dangos pwy arall sy'n dod.
meetings-reply-link-make = Creu'r ddolen ateb
meetings-reply-link-label = Dolen ateb ar gyfer { $title }
meetings-reply-link-text = Rydych chi'n cael eich gwahodd i { $title }, { $when }, yn { $place }. Atebwch yma:
meetings-reply-link-until = Mae'n gweithio tan { $date }.
meetings-needs-connection = Mae dolenni'n cael eu creu ar y gweinydd, felly mae angen cysylltiad ar gyfer hyn. Mae popeth arall yn dal i weithio.
meetings-by-text = negeseuon testun
meetings-by-phone = galwadau
meetings-by-email = e-bost
meetings-contact-by = Wedi cytuno i gael { $ways }.
meetings-raised = Wedi codi { $issues }.
meetings-maybe-same = Gallai fod yr un person â { $name } (yr un enw a chod post): gwiriwch cyn dilyn i fyny.
meetings-decline = Ni all { $name } ddod
meetings-place-free = Mae lle yn rhydd. { $name } sydd wedi aros hiraf amdano: rhowch y lle iddyn nhw, yna rhowch wybod iddyn nhw.
meetings-give-place = Rhoi'r lle i { $name }

## The sync bar

sync-status = Statws cysoni
sync-less-than-a-minute = llai na munud
sync-minutes = { $count } munud
sync-hours = { $count } awr
sync-days = { $count } diwrnod
sync-updating = Mae { -app } yn diweddaru. Caewch ef yn eich tabiau a'ch ffenestri eraill i orffen.
sync-other-tab = Mae { -app } ar agor mewn tab neu ffenestr arall. Caewch ef i weithio yma.
sync-signed-out = Wedi allgofnodi ar y gweinydd: mewngofnodwch eto i gysoni. Does dim byd ar y ffôn hwn wedi'i golli.
sync-syncing = Wrthi'n cysoni…
sync-offline = All-lein.
sync-synced-ago = Cysonwyd { $ago } yn ôl.
sync-synced-just-now = Cysonwyd gynnau.
sync-never = Heb gysoni eto.
sync-all-sent = Mae pob newid wedi'i anfon.
sync-waiting-since = { $count ->
    [one] Mae { $what } yn aros i'w anfon, ers { $ago }.
   *[other] Mae { $what } yn aros i'w hanfon, ers { $ago }.
}
sync-waiting = { $count ->
    [one] Mae { $what } yn aros i'w anfon.
   *[other] Mae { $what } yn aros i'w hanfon.
}
sync-other-changes = { $count ->
    [one] { $count } newid arall
    [two] { $count } newid arall
   *[other] { $count } o newidiadau eraill
}
sync-sign-in-again = Mewngofnodi eto
sync-conflicts = { $count ->
    [one] { $count } gwrthdaro
   *[other] { $count } o wrthdrawiadau
}
sync-rejected = { $count ->
    [one] { $count } newid a wrthodwyd
   *[other] { $count } o newidiadau a wrthodwyd
}
sync-dropped = { $count ->
    [one] Ni anfonwyd { $count } newid a wnaed ar y ffôn hwn: mae'r person yr oedd yn ei gylch wedi'i ddileu.
   *[other] Ni anfonwyd { $count } o newidiadau a wnaed ar y ffôn hwn: mae'r person yr oeddent yn ei gylch wedi'i ddileu.
}
sync-dropped-seen = Iawn
sync-reload = Ail-lwytho
sync-now = Cysoni nawr
sync-stuck = Mae eich newidiadau wedi'u cadw ar y ffôn hwn ond does dim modd eu hanfon: { $why }. Dywedwch wrth eich trefnydd.
sync-push-refused = Gwrthododd y gweinydd y newidiadau: { $why }.
sync-pull-refused = Gwrthododd y gweinydd gysoni: { $why }.
rejection-merges-are-kept = Nid yw cyfuno dau berson byth yn cael ei newid na'i ddileu, gan fod ei ddadwneud yn ei ddarllen. Dadwnewch y cyfuno yn lle hynny.

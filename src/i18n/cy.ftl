# Negeseuon Organise yn Gymraeg. Mae neges sydd ar goll yma yn ymddangos yn Saesneg.
#
# Welsh counts: the noun stays singular after a number (with the mutation the number
# causes), and "o" with the plural for larger numbers.

-app = Organise

## The app's frame

app-name = { -app }
app-nav-main = Prif
app-nav-lists = Rhestrau
app-nav-people = Pobl
app-nav-settings = Gosodiadau
app-loading = Wrthi'n llwytho…
app-not-found = Heb ddod o hyd i'r dudalen
app-go-to-start = Mynd i'r dechrau
app-update-available = Mae fersiwn newydd o { -app } ar gael.
app-update-now = Diweddaru nawr

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
sync-never = Heb gysoni eto.
sync-all-sent = Mae pob newid wedi'i anfon.
sync-waiting-since = { $count ->
    [one] Mae { $count } newid yn aros i'w anfon, ers { $ago }.
   *[other] Mae { $count } newid yn aros i'w hanfon, ers { $ago }.
}
sync-waiting = { $count ->
    [one] Mae { $count } newid yn aros i'w anfon.
   *[other] Mae { $count } newid yn aros i'w hanfon.
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
sync-reload = Ail-lwytho
sync-now = Cysoni nawr

## Signing in

sign-in = Mewngofnodi
sign-in-email = E-bost
sign-in-password = Cyfrinair

## The start screen

home-hello = Helo, { $name }
home-start = Dechrau
home-walk-lists = Rhestrau canfasio
home-people = Pobl
home-results = Canlyniadau gwrando
home-conflicts = Gwrthdaro
home-rejected = Newidiadau a wrthodwyd
home-settings = Gosodiadau
home-signing-out = Allgofnodi
home-sign-out-wipes = Mae allgofnodi yn dileu manylion pawb o'r ffôn hwn.
home-sign-out-warning = { $count ->
    [one] Nid yw { $count } newid wedi cyrraedd y gweinydd eto. Mae allgofnodi nawr yn ei ddileu o'r ffôn hwn am byth.
   *[other] Nid yw { $count } newid wedi cyrraedd y gweinydd eto. Mae allgofnodi nawr yn eu dileu o'r ffôn hwn am byth.
}
home-sign-out = Allgofnodi
home-sign-out-and-delete = Allgofnodi a'u dileu

## Settings

settings = Gosodiadau
settings-language = Iaith
settings-language-device = Fel y mae'r ddyfais hon ({ $language })
settings-this-device = Y ddyfais hon

## Storage on this device

storage-checking = Wrthi'n gwirio'r storfa…
storage-unknown = Nid yw'r porwr hwn yn dweud sut mae'n cadw data'r ap.
storage-kept = Storfa: mae'r porwr yn ei chadw.
storage-may-be-cleared = Storfa: gall y porwr ei chlirio os yw'r ddyfais yn brin o le.
storage-using-of = Yn defnyddio { $used } o'r { $available } sydd ar gael.
storage-using = Yn defnyddio { $used }.
storage-usage-unknown = Nid yw'r porwr yn dweud faint o le mae'r ap yn ei ddefnyddio.

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

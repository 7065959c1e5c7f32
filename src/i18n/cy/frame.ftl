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
app-screen-opening = Wrthi'n agor…
app-screen-unavailable = Nid yw'r sgrin hon wedi'i storio ar y ffôn hwn eto, ac nid oes cysylltiad i'w nôl. Mae eich gwaith yn ddiogel.
app-screen-try-again = Rhowch gynnig arall arni

## What went wrong, for the person holding the phone

app-error-offline = Dim cysylltiad. Gwiriwch eich signal a rhowch gynnig arall arni.
app-error-timed-out = Ni atebodd y gweinydd mewn pryd. Gwiriwch eich signal a rhowch gynnig arall arni.
app-error-signed-out = Rydych chi wedi cael eich allgofnodi. Mewngofnodwch eto i barhau.
app-error-refused = Gwrthododd y gweinydd y cais.
app-error-unexpected = Aeth rhywbeth o'i le ar y gweinydd. Rhowch gynnig arall arni nes ymlaen.
app-error-replaced = Cafodd { -app } ei ddiweddaru mewn tab arall. Ail-lwythwch yr un hwn i barhau: does dim byd yma wedi'i golli.
app-error-loading = Mae eich data'n dal i lwytho. Rhowch gynnig arall arni mewn munud.
app-error-not-saved = Nid oedd modd cadw hynny. { $problems }
app-error-not-saved-because = Nid oedd modd cadw hynny: { $why }.
app-error-check-fields = Ni chadwyd hynny: gweler y nodiadau wrth ymyl y meysydd.
app-error-storage-full = Does dim lle ar ôl ar y ddyfais hon i ddata'r ap, felly ni chadwyd y newid diwethaf arni. Gwnewch le ar y ddyfais, yna rhowch gynnig arall arni.
app-error-storage-unavailable = Nid yw'r porwr hwn yn gadael i'r ap storio data ar y ddyfais. Diffoddwch bori preifat, neu gadewch i wefannau storio data, yna ail-lwythwch yr ap.
app-error-storage-data = Nid oedd modd i'r ap gadw na darllen ei ddata ar y ddyfais hon, a does dim wedi newid. Rhowch wybod am y broblem hon: { $detail }
app-error-storage-failed = Methodd storfa'r ddyfais hon, a does dim wedi newid. Rhowch gynnig arall arni; os yw'n dal i fethu, ailgychwynnwch y porwr. ({ $detail })

## Dolen i'w rhoi i rywun

share = Rhannu'r ddolen
share-copy = Copïo'r ddolen
share-copied = Copïwyd y ddolen.
share-copy-failed = Ni fyddai'r porwr hwn yn copïo. Mae'r ddolen wedi'i dewis yn y blwch uchod: copïwch hi oddi yno.

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
